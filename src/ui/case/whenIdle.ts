import { flushSync } from 'svelte';

/**
 * Work that nobody sees yet (option lists of closed pickers) runs in the browser's idle time,
 * a few items at a time, so opening a large case paints the case first. Each item runs with
 * its DOM update flushed at once, so the time budget covers the rendering it causes.
 */
const queue = new Set<() => void>();
let scheduled = false;
/** Per slice when the browser cannot tell us its idle deadline (no requestIdleCallback). */
const FALLBACK_BUDGET_MS = 8;

function runSlice(timeLeft: () => number): void {
  scheduled = false;
  for (const item of queue) {
    if (timeLeft() <= 1) break;
    queue.delete(item);
    flushSync(item);
  }
  schedule();
}

function schedule(): void {
  if (scheduled || queue.size === 0) return;
  scheduled = true;
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback((deadline) => runSlice(() => deadline.timeRemaining()), { timeout: 2_000 });
  } else {
    setTimeout(() => {
      const end = performance.now() + FALLBACK_BUDGET_MS;
      runSlice(() => end - performance.now());
    }, 50);
  }
}

/** Runs `item` when the browser is idle; the returned function cancels it if it has not run. */
export function whenIdle(item: () => void): () => void {
  queue.add(item);
  schedule();
  return () => queue.delete(item);
}

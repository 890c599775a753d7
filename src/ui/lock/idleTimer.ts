/** What counts as someone using the app. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'input', 'focusin'] as const;

/**
 * Calls `onIdle` once after `timeoutMs` without activity on `target`. Activity only stamps a
 * time (pointermove fires often); the timer checks the stamp when it fires and sleeps for the
 * rest. Timers in background tabs may fire late, never early, and a tab that becomes visible
 * again checks at once. Returns a function that stops the timer.
 */
export function startIdleTimer(
  timeoutMs: number,
  onIdle: () => void,
  target: EventTarget = window,
  now: () => number = Date.now,
): () => void {
  let last = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const activity = () => {
    last = now();
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, activity, true);
    target.removeEventListener('visibilitychange', check, true);
  };
  function check(): void {
    if (stopped) return;
    clearTimeout(timer);
    const remaining = last + timeoutMs - now();
    if (remaining <= 0) {
      stop();
      onIdle();
    } else {
      timer = setTimeout(check, remaining);
    }
  }

  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, activity, { capture: true, passive: true });
  target.addEventListener('visibilitychange', check, true);
  timer = setTimeout(check, timeoutMs);
  return stop;
}

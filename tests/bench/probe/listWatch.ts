import type { ListTimes } from '../inpage/api.ts';

/**
 * Time to interactive of the case list: all expected cases are links in the DOM, and then
 * the main thread is free for the next task (a MessageChannel message runs as soon as it is).
 * Case links are found by their names, not by markup details of the list.
 */
export function createListWatch() {
  let result: Promise<ListTimes> | null = null;
  let want = 0;
  let have = 0;
  return {
    arm(names: string[]): void {
      const expected = new Set(names);
      want = expected.size;
      result = new Promise<ListTimes>((resolve) => {
        const observer = new MutationObserver(() => {
          have = 0;
          document.querySelectorAll('a').forEach((a) => {
            if (expected.has(a.textContent?.trim() ?? '')) have++;
          });
          if (have < want) return;
          const listedMs = performance.now();
          observer.disconnect();
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ listedMs, interactiveMs: performance.now() });
          channel.port2.postMessage(null);
        });
        observer.observe(document, { subtree: true, childList: true });
      });
    },
    when(timeoutMs: number): Promise<ListTimes> {
      if (!result) return Promise.reject(new Error('list watch not armed'));
      return Promise.race([
        result,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`case list incomplete after ${timeoutMs} ms: ${have} of ${want}`)), timeoutMs),
        ),
      ]);
    },
  };
}

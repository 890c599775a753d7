/**
 * When did this page first show a text of a given length? The writer only appends, so
 * length n+1 is keystroke n+1 arriving. Waiters let the driver pace keystrokes on arrival.
 */
export interface LengthLog {
  /** Text length → first time (clock.now) this page showed it. */
  seen: Record<number, number>;
  record(length: number, at: number): void;
  current(): number;
  waitFor(length: number, timeoutMs: number): Promise<void>;
}

export function createLengthLog(): LengthLog {
  const seen: Record<number, number> = {};
  let current = -1;
  let waiters: { length: number; resolve: () => void }[] = [];
  return {
    seen,
    current: () => current,
    record(length, at) {
      if (length === current) return;
      current = length;
      if (!(length in seen)) seen[length] = at;
      const due = waiters.filter((w) => w.length <= length);
      waiters = waiters.filter((w) => w.length > length);
      due.forEach((w) => w.resolve());
    },
    waitFor(length, timeoutMs) {
      if (current >= length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`text length ${length} not reached within ${timeoutMs} ms (at ${current})`)),
          timeoutMs,
        );
        waiters.push({
          length,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

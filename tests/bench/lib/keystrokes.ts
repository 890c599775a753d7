import type { Page } from '@playwright/test';
import type { BenchWindow } from '../inpage/api.ts';
import type { InputTimes } from '../inpage/inputTimes.ts';
import type { LengthLog } from '../inpage/lengthLog.ts';

/** What app pages (probe) and baseline pages share: input times and a text length log; app pages also log task ends. */
type Logged = BenchWindow<{ input: InputTimes; text: LengthLog; textAtTaskEnd?: LengthLog }>;

// Plain letters and spaces: nothing that triggers an editor input rule (lists, headings, marks).
const TEXT = 'termin beim jobcenter am montag um neun uhr mit unterlagen ';

/** Milliseconds per keystroke, from the writer's keydown, both on the browser's shared clock. */
export interface KeystrokeTimes {
  /** Until the last receiver's DOM shows it: the edit latency. */
  latencies: number[];
  /**
   * Until the first receiver's DOM shows it: the writer's and one receiver's own work per
   * keystroke. The rest of a latency is the receivers waiting their turn for the machine's
   * cores; this part says how much of a gap to the baseline is per-message cost.
   */
  first: number[];
  /**
   * App pages only: until the last receiver finished the task that wrote the text (its
   * MutationObserver report), so after all else that task did; `latencies` end at the write.
   */
  taskEnd?: number[];
}

/**
 * Types one character at a time in `writer` and waits until every receiver's DOM shows it
 * before the next one.
 */
export async function measureKeystrokes(
  writer: Page,
  receivers: readonly Page[],
  options: { warmup: number; count: number; timeoutMs: number },
): Promise<KeystrokeTimes> {
  const lengths = await Promise.all(receivers.map((r) => r.evaluate(() => (window as unknown as Logged).__bench.text.current())));
  const start = lengths[0]!;
  if (lengths.some((length) => length !== start)) throw new Error(`receivers differ before typing: ${lengths.join(', ')}`);
  const firstKey = await writer.evaluate(() => (window as unknown as Logged).__bench.input.keydowns.length);

  const total = options.warmup + options.count;
  for (let i = 0; i < total; i++) {
    await writer.keyboard.type(TEXT[i % TEXT.length]!);
    await Promise.all(
      receivers.map((r) =>
        r.evaluate(([length, timeout]) => (window as unknown as Logged).__bench.text.waitFor(length!, timeout!), [
          start + i + 1,
          options.timeoutMs,
        ]),
      ),
    );
  }

  const keydowns = await writer.evaluate(() => (window as unknown as Logged).__bench.input.keydowns);
  const seen = await Promise.all(receivers.map((r) => r.evaluate(() => (window as unknown as Logged).__bench.text.seen)));
  const ended = await Promise.all(receivers.map((r) => r.evaluate(() => (window as unknown as Logged).__bench.textAtTaskEnd?.seen ?? null)));
  const latencies: number[] = [];
  const first: number[] = [];
  const taskEnd: number[] = [];
  for (let i = options.warmup; i < total; i++) {
    const sent = keydowns[firstKey + i];
    if (sent === undefined) throw new Error(`keystroke ${i} was not recorded`);
    const arrivals = seen.map((s) => s[start + i + 1] ?? Number.NaN);
    if (arrivals.some(Number.isNaN)) throw new Error(`keystroke ${i} not seen by every receiver`);
    latencies.push(Math.max(...arrivals) - sent);
    first.push(Math.min(...arrivals) - sent);
    const ends = ended.map((e) => e?.[start + i + 1] ?? Number.NaN);
    if (!ends.some(Number.isNaN)) taskEnd.push(Math.max(...ends) - sent);
  }
  return { latencies, first, ...(taskEnd.length === latencies.length ? { taskEnd } : {}) };
}

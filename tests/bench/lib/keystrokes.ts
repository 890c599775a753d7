import type { Page } from '@playwright/test';
import type { BenchWindow } from '../inpage/api.ts';
import type { InputTimes } from '../inpage/inputTimes.ts';
import type { LengthLog } from '../inpage/lengthLog.ts';

/** What app pages (probe) and baseline pages share: input times and a text length log. */
type Logged = BenchWindow<{ input: InputTimes; text: LengthLog }>;

// Plain letters and spaces: nothing that triggers an editor input rule (lists, headings, marks).
const TEXT = 'termin beim jobcenter am montag um neun uhr mit unterlagen ';

/**
 * Types one character at a time in `writer` and waits until every receiver's DOM shows it
 * before the next one. Latency of a keystroke = the last receiver's first-seen time minus the
 * writer's keydown time, both on the browser's shared clock. Returns milliseconds per keystroke.
 */
export async function measureKeystrokes(
  writer: Page,
  receivers: readonly Page[],
  options: { warmup: number; count: number; timeoutMs: number },
): Promise<number[]> {
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
  const latencies: number[] = [];
  for (let i = options.warmup; i < total; i++) {
    const sent = keydowns[firstKey + i];
    if (sent === undefined) throw new Error(`keystroke ${i} was not recorded`);
    const arrived = Math.max(...seen.map((s) => s[start + i + 1] ?? Number.NaN));
    if (Number.isNaN(arrived)) throw new Error(`keystroke ${i} not seen by every receiver`);
    latencies.push(arrived - sent);
  }
  return latencies;
}

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Pages of one browser share this
 * clock, so a keystroke time in one page and a render time in another can be subtracted.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

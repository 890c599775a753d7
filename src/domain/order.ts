import { generateKeyBetween } from 'fractional-indexing';

/** A sort key after every key in `sorted` (ascending). */
export function keyAfterLast(sorted: readonly string[]): string {
  return generateKeyBetween(sorted.at(-1) ?? null, null);
}

/** A sort key that places an item at `index` of `sorted` (the list without that item). */
export function keyAt(sorted: readonly string[], index: number): string {
  const i = Math.max(0, Math.min(index, sorted.length));
  const before = sorted[i - 1] ?? null;
  const after = sorted[i] ?? null;
  // Concurrent inserts can leave equal neighbours; generateKeyBetween needs a < b.
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}

import { generateKeyBetween } from 'fractional-indexing';

/**
 * Whether fractional-indexing can place a key next to `key`. Order keys come from peers, and
 * any short string passes the entity schema; one it cannot read (e.g. `c2`) made every later
 * add and move in that list throw. Such keys are left out when a new key is made: the entry
 * keeps its place by string order, the list stays writable.
 */
function usable(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/** A sort key after every key in `sorted` (ascending). */
export function keyAfterLast(sorted: readonly string[]): string {
  return generateKeyBetween(sorted.filter(usable).at(-1) ?? null, null);
}

/** A sort key that places an item at `index` of `sorted` (the list without that item). */
export function keyAt(all: readonly string[], index: number): string {
  const sorted = all.every(usable) ? all : all.filter(usable);
  const i = Math.max(0, Math.min(index, sorted.length));
  const before = sorted[i - 1] ?? null;
  const after = sorted[i] ?? null;
  // Concurrent inserts can leave equal neighbours; generateKeyBetween needs a < b.
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}

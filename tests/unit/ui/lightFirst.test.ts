import { describe, expect, it } from 'vitest';
import { lightFirstBatches } from '../../../src/ui/case/lightFirst.ts';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `id-${from + i}`);

describe('lightFirstBatches', () => {
  it('makes previews of the new cards of a render only when there are more than the threshold', () => {
    const next = lightFirstBatches(3);
    expect([...next(ids(1, 3))]).toEqual([]);
    expect([...next(ids(1, 7))]).toEqual(ids(4, 7));
  });

  it('never makes a preview of a card it has shown, also after it left the list', () => {
    const next = lightFirstBatches(2);
    expect([...next(ids(1, 5))]).toEqual(ids(1, 5));
    // Re-rendered, reordered, one removed and restored: nothing is new.
    expect([...next(ids(1, 5).reverse())]).toEqual([]);
    expect([...next(ids(2, 5))]).toEqual([]);
    expect([...next(ids(1, 5))]).toEqual([]);
    // A case arriving in full by sync after a few cards were typed: only its cards are previews.
    expect([...next(ids(1, 9))]).toEqual(ids(6, 9));
  });
});

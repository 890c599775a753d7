import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffMiddle, transformIndex, yTextField } from '../../../src/case/textField.ts';

describe('diffMiddle', () => {
  it.each([
    ['abc', 'abc', { index: 3, remove: 0, insert: '' }],
    ['abc', 'abXc', { index: 2, remove: 0, insert: 'X' }],
    ['abc', 'ac', { index: 1, remove: 1, insert: '' }],
    ['', 'neu', { index: 0, remove: 0, insert: 'neu' }],
    ['aaa', 'aaaa', { index: 3, remove: 0, insert: 'a' }],
    ['Wohnung', 'Eigene Wohnung', { index: 0, remove: 0, insert: 'Eigene ' }],
  ])('%s → %s', (from, to, expected) => {
    expect(diffMiddle(from, to)).toEqual(expected);
  });
});

describe('transformIndex', () => {
  it('shifts a caret after an insert before it', () => {
    expect(transformIndex(5, [{ retain: 2 }, { insert: 3 }])).toBe(8);
  });
  it('keeps a caret before an insert after it', () => {
    expect(transformIndex(1, [{ retain: 2 }, { insert: 3 }])).toBe(1);
  });
  it('keeps the caret in place for an insert exactly at it', () => {
    expect(transformIndex(2, [{ retain: 2 }, { insert: 3 }])).toBe(2);
  });
  it('pulls a caret back over a delete before it, and clamps inside one', () => {
    expect(transformIndex(6, [{ retain: 1 }, { delete: 2 }])).toBe(4);
    expect(transformIndex(2, [{ retain: 1 }, { delete: 4 }])).toBe(1);
  });
});

describe('yTextField', () => {
  it('writes only the changed middle and reports remote ops', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u, 'remote'));
    const fa = yTextField(() => a.getText('t'), 'me');
    const fb = yTextField(() => b.getText('t'), 'me');
    const seen: [string, boolean][] = [];
    fb.observe((value, _ops, local) => seen.push([value, local]));
    fa.set('Hallo');
    fa.set('Hallo Welt');
    expect(fb.value()).toBe('Hallo Welt');
    expect(seen).toEqual([
      ['Hallo', false],
      ['Hallo Welt', false],
    ]);
  });
});

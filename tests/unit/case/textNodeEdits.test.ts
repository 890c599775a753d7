import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeDifference } from '../../../src/case/textNodeEdits.ts';

/** A text node's data as the DOM's `replaceData` changes it (offsets in UTF-16 code units). */
function textNode(data: string) {
  const calls: [number, number, string][] = [];
  return {
    calls,
    get data() {
      return data;
    },
    replaceData(offset: number, count: number, text: string) {
      calls.push([offset, count, text]);
      data = data.slice(0, offset) + text + data.slice(offset + count);
    },
  };
}

describe('writeDifference', () => {
  it('writes one typed character, not the whole paragraph', () => {
    const paragraph = 'Dennis arbeitet jetzt sechs Stunden am Tag. '.repeat(40);
    const node = textNode(paragraph);
    writeDifference(node, paragraph, `${paragraph}x`);
    expect(node.calls).toEqual([[paragraph.length, 0, 'x']]);
    expect(node.data).toBe(`${paragraph}x`);
  });

  it('leaves any text exactly as the new one, emoji and right-to-left included', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'ä', '😀', '👍🏽', 'ش', ' ', '\u200f') });
    fc.assert(
      fc.property(text, text, (from, to) => {
        const node = textNode(from);
        writeDifference(node, from, to);
        expect(node.data).toBe(to);
        expect(node.calls).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});

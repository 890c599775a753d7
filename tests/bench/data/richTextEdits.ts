import * as Y from 'yjs';
import { richTextFragment } from '../../../src/case/layout.ts';
import type { Rng } from '../lib/rng.ts';
import { word } from './words.ts';

/**
 * Edits on the 'ausgangslage' fragment in y-prosemirror's mapping (what Tiptap's Collaboration
 * extension reads): top-level Y.XmlElement('paragraph') nodes, each holding one Y.XmlText;
 * marks are text attributes named after the mark ({ bold: {} }). Every word typed, word
 * deleted or word formatted is one transaction, i.e. one edit.
 */
export class RichTextEdits {
  readonly #doc: Y.Doc;
  readonly #random: Rng;
  /** Length the last paragraph grows to before a new one starts. */
  #paragraphTarget: number;

  constructor(doc: Y.Doc, random: Rng) {
    this.#doc = doc;
    this.#random = random;
    this.#paragraphTarget = random.between(200, 700);
  }

  #paragraphs(): Y.XmlText[] {
    return richTextFragment(this.#doc, 'ausgangslage')
      .toArray()
      .flatMap((node) => (node instanceof Y.XmlElement && node.get(0) instanceof Y.XmlText ? [node.get(0) as Y.XmlText] : []));
  }

  chars(): number {
    return this.#paragraphs().reduce((sum, text) => sum + text.length, 0);
  }

  /**
   * Types `count` words in one place, as a person writes on: mostly at the end of the text,
   * sometimes into an earlier paragraph. Returns the edits made.
   */
  typeWords(count: number): number {
    const paragraphs = this.#paragraphs();
    const last = paragraphs.at(-1);
    let text: Y.XmlText;
    let at: number;
    let edits = 0;
    if (!last || last.length >= this.#paragraphTarget) {
      text = this.#newParagraph();
      at = text.length;
      edits++;
      count--;
    } else if (this.#random.chance(0.75)) {
      text = last;
      at = last.length;
    } else {
      text = this.#random.pick(paragraphs);
      at = this.#wordBoundary(text);
    }
    for (let i = 0; i < count; i++) {
      const insert = at === 0 ? `${word(this.#random)} ` : ` ${word(this.#random)}`;
      this.#doc.transact(() => text.insert(at, insert));
      at += insert.length;
      edits++;
    }
    return edits;
  }

  /** Deletes `count` words one after another from one place (a rewrite). Returns the edits made. */
  deleteWords(count: number): number {
    const text = this.#pickNonEmpty();
    if (!text) return 0;
    const start = this.#wordBoundary(text);
    let edits = 0;
    for (let i = 0; i < count; i++) {
      const plain = plainText(text);
      const end = plain.indexOf(' ', start + 1);
      const length = (end < 0 ? plain.length : end) - start;
      if (length <= 0 || length >= plain.length) break;
      this.#doc.transact(() => text.delete(start, length));
      edits++;
    }
    return edits;
  }

  bold(): number {
    const text = this.#pickNonEmpty();
    if (!text) return 0;
    const plain = plainText(text);
    const start = this.#wordBoundary(text);
    const end = plain.indexOf(' ', start + 1);
    const length = (end < 0 ? plain.length : end) - start;
    if (length <= 0) return 0;
    this.#doc.transact(() => text.format(start, length, { bold: {} }));
    return 1;
  }

  #newParagraph(): Y.XmlText {
    this.#paragraphTarget = this.#random.between(200, 700);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    const fragment = richTextFragment(this.#doc, 'ausgangslage');
    this.#doc.transact(() => {
      fragment.insert(fragment.length, [paragraph]);
      text.insert(0, word(this.#random));
    });
    return text;
  }

  #pickNonEmpty(): Y.XmlText | undefined {
    const candidates = this.#paragraphs().filter((text) => text.length > 40);
    return candidates.length > 0 ? this.#random.pick(candidates) : undefined;
  }

  /** Index of a space in the paragraph (a word start), or 0. */
  #wordBoundary(text: Y.XmlText): number {
    const plain = plainText(text);
    const from = this.#random.int(plain.length + 1);
    const space = plain.lastIndexOf(' ', from);
    return space < 0 ? 0 : space;
  }
}

function plainText(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

import type { EditorView } from '@tiptap/pm/view';
import { diffMiddle } from './textField.ts';

/**
 * ProseMirror shows a changed text node by writing its whole text back (`nodeValue = text`). For
 * the browser that is a new text: it measures and shapes the whole paragraph again. With one
 * character typed into a long paragraph, on every page at the table for every keystroke of
 * everyone, that grew with the paragraph (after four minutes of the bench's load the text node
 * updates took four times as long as before it). Here only the part that differs is written (`replaceData`), and
 * Chromium keeps the shaping of the rest. The text that ends up in the DOM is the same.
 *
 * ProseMirror keeps its text view class to itself, so it is patched through the prototype of a
 * text view found in a live editor; `installTextNodeEdits` is called for each new editor and
 * does the work once. Tied to prosemirror-view 1.42 (its dirty flags and `trackWrites`);
 * `tests/e2e/textNodeEdits.spec.ts` shows it still takes effect.
 */

/** The parts of ProseMirror's text view this relies on. */
interface TextDesc {
  dirty: number;
  node: { text?: string; sameMarkup(other: unknown): boolean };
  nodeDOM: Node;
  children?: TextDesc[];
  update(node: TextDesc['node'], outerDeco: unknown, innerDeco: unknown, view: { trackWrites: Node | null }): boolean;
}

/** prosemirror-view's NOT_DIRTY: the view matches its node. */
const NOT_DIRTY = 0;
let patched: object | null = null;

/** Patches ProseMirror's text view once a text node exists in `view`; true when it is done. */
export function installTextNodeEdits(view: EditorView): boolean {
  if (patched) return true;
  const desc = findTextDesc((view as unknown as { docView: TextDesc }).docView);
  if (!desc) return false;
  const proto = Object.getPrototypeOf(desc) as TextDesc;
  const original = proto.update;
  proto.update = function (this: TextDesc, node, outerDeco, innerDeco, pmView) {
    const dom = this.nodeDOM;
    const next = node.text;
    const previous = this.node.text;
    // Exactly the case in which ProseMirror would write the whole text: nothing else is touched.
    if (this.dirty === NOT_DIRTY && next !== undefined && previous !== undefined && next !== previous && node.sameMarkup(this.node)) {
      if (dom.nodeType === Node.TEXT_NODE && dom.nodeValue === previous) {
        writeDifference(dom as Text, previous, next);
        // What ProseMirror does after its own write: the selection in this node is set again.
        if (pmView.trackWrites === dom) pmView.trackWrites = null;
      }
    }
    return original.call(this, node, outerDeco, innerDeco, pmView);
  };
  patched = proto;
  return true;
}

/** Replaces only the middle of `node`'s text where `from` and `to` differ. */
export function writeDifference(node: Pick<Text, 'replaceData'>, from: string, to: string): void {
  const { index, remove, insert } = diffMiddle(from, to);
  node.replaceData(index, remove, insert);
}

function findTextDesc(desc: TextDesc | undefined): TextDesc | null {
  if (!desc) return null;
  if (desc.node?.text !== undefined && desc.nodeDOM?.nodeType === Node.TEXT_NODE) return desc;
  for (const child of desc.children ?? []) {
    const found = findTextDesc(child);
    if (found) return found;
  }
  return null;
}

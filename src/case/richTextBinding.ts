import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection, type Transaction } from '@tiptap/pm/state';
import { ProsemirrorBinding, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/**
 * Two corrections to how y-tiptap (Tiptap's fork of y-prosemirror, 3.0.9) takes in a remote
 * change. Both patch its binding's prototype, so they are tied to that version (pinned in
 * package.json); `richTextSync.spec.ts` is what shows they still hold.
 */

/**
 * 1. No measuring and scrolling of the local cursor on every remote change. y-tiptap measured
 *    the selection (a layout of the whole editor) and then scrolled (another): work on every page
 *    for every keystroke of everyone, growing with the length of the text. A remote edit does not
 *    move this person's cursor in the text, and the browser's scroll anchoring keeps the text in
 *    place on screen.
 */
(ProsemirrorBinding.prototype as unknown as { _isLocalCursorInView(): boolean })._isLocalCursorInView = () => false;

/**
 * 2. A cursor in an empty paragraph stays in that paragraph. After a remote change y-tiptap
 *    second-guesses the Yjs position of a cursor at the start of a block by counting the blocks
 *    with the same text before it; every empty paragraph has the same text, so a new empty
 *    paragraph someone else made above took the cursor. What this person typed next went into
 *    the other person's paragraph, and a keystroke of theirs could be lost
 *    (`richTextSync.spec.ts` failed about 1 run in 10 that way). Where the cursor was in an empty
 *    paragraph and its Yjs position still is in one, that position is used.
 *
 * y-tiptap's recovery is module-internal, so its one dispatch from `_typeChanged` is intercepted
 * and the selection corrected before it is applied. (y-tiptap also rebuilds every paragraph
 * from Yjs on every remote change; that cost stays, see the README's benchmark notes.)
 */
interface RelativeSelection {
  type: string;
  anchor: unknown;
  head: unknown;
  absAnchor: number;
  absHead: number;
}
interface Binding {
  type: Y.XmlFragment;
  doc: Y.Doc;
  mapping: Map<unknown, unknown>;
  beforeTransactionSelection: RelativeSelection | null;
  prosemirrorView: { state: { doc: PMNode }; dispatch(tr: Transaction): void } | null;
  _typeChanged(events: unknown[], transaction: Y.Transaction): void;
}

const binding = ProsemirrorBinding.prototype as unknown as Binding;
const typeChanged = binding._typeChanged;

binding._typeChanged = function (this: Binding, events, transaction) {
  const view = this.prosemirrorView;
  const selection = this.beforeTransactionSelection;
  if (!view || !selection || selection.type !== 'text' || selection.anchor == null || selection.head == null) {
    return typeChanged.call(this, events, transaction);
  }
  const before = view.state.doc;
  const ownDispatch = Object.prototype.hasOwnProperty.call(view, 'dispatch');
  const dispatch = view.dispatch;
  const restore = () => {
    if (ownDispatch) view.dispatch = dispatch;
    else delete (view as { dispatch?: unknown }).dispatch;
  };
  /** The Yjs position, where the endpoint was in an empty paragraph and still is; else null. */
  const stayInEmpty = (tr: Transaction, absolute: number, relative: unknown): number | null => {
    if (absolute > before.content.size) return null;
    const was = before.resolve(absolute).parent;
    if (!was.isTextblock || was.content.size !== 0) return null;
    const yjs = relativePositionToAbsolutePosition(this.doc, this.type, relative, this.mapping as never);
    if (yjs === null || yjs > tr.doc.content.size) return null;
    const is = tr.doc.resolve(yjs).parent;
    return is.isTextblock && is.content.size === 0 ? yjs : null;
  };
  view.dispatch = (tr: Transaction) => {
    restore();
    const anchor = stayInEmpty(tr, selection.absAnchor, selection.anchor);
    const head = stayInEmpty(tr, selection.absHead, selection.head);
    if (anchor !== null || head !== null) {
      tr.setSelection(TextSelection.create(tr.doc, anchor ?? tr.selection.anchor, head ?? tr.selection.head));
    }
    dispatch.call(view, tr);
  };
  try {
    typeChanged.call(this, events, transaction);
  } finally {
    if (view.dispatch !== dispatch) restore();
  }
};

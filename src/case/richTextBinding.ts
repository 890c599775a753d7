import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection, type Transaction } from '@tiptap/pm/state';
import { ProsemirrorBinding, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Four corrections to how y-tiptap (Tiptap's fork of y-prosemirror, 3.0.9) takes in a remote
 * change. They patch its binding's prototype, so they are tied to that version (pinned in
 * package.json); `richTextSync.spec.ts` and `tests/unit/case/richTextBinding.test.ts` are what
 * show they still hold.
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
 * and the selection corrected before it is applied.
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
  mapping: Map<unknown, PMNode | PMNode[]>;
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

/**
 * 3. A remote keystroke no longer rebuilds every paragraph. y-tiptap empties its cache of
 *    Yjs type → ProseMirror node on every remote change and makes the whole document anew from
 *    Yjs: with 30 pages of text and 8 people typing, that was the cost that grew over a conference
 *    (the README's "edit latency after the load"). y-tiptap already drops the entries of every
 *    type the change touched, so the cache is kept whenever the top level (the list of blocks)
 *    did not change; if it did, the full rebuild runs as before.
 *
 *    y-tiptap refreshes only a block's own entry when it matches a block by value, not those of
 *    the elements inside it (list items, their paragraphs). Kept for longer, such stale entries
 *    made its diff delete and recreate a list item, and a keystroke someone typed into it at the
 *    same time was lost (docs/ytiptap-cache.md, harness seed 57). So after the update every
 *    element's entry is set to the node now in the document, which is what the full rebuild
 *    leaves, and text entries are dropped, as the full rebuild leaves none.
 */
const rebuildAll = binding._typeChanged;

binding._typeChanged = function (this: Binding, events, transaction) {
  if ((transaction.changed as Map<unknown, unknown>).has(this.type)) {
    return rebuildAll.call(this, events, transaction);
  }
  const mapping = this.mapping;
  const own = mapping as unknown as { clear?: () => void };
  own.clear = () => {};
  try {
    rebuildAll.call(this, events, transaction);
  } finally {
    delete own.clear;
  }
  if (this.prosemirrorView == null) return;
  for (const child of this.type.toArray()) {
    const node = mapping.get(child);
    if (child instanceof Y.XmlElement && node && !Array.isArray(node)) repoint(mapping, child, node);
  }
};

/** Sets the entry of `element` and of every element inside it to the node at the same place. */
function repoint(mapping: Map<unknown, PMNode | PMNode[]>, element: Y.XmlElement, node: PMNode): void {
  mapping.set(element, node);
  let index = 0;
  for (let item = element._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
    const child = item.content.type;
    if (child instanceof Y.XmlText) {
      mapping.delete(child);
      while (index < node.childCount && node.child(index).isText) index++;
    } else if (child instanceof Y.XmlElement) {
      const childNode = index < node.childCount ? node.child(index) : null;
      if (childNode === null || childNode.isText || childNode.type.name !== child.nodeName) {
        mapping.delete(child);
        return;
      }
      repoint(mapping, child, childNode);
      index++;
    }
  }
}

/**
 * 4. A remote keystroke is applied as the keystroke it is. Even with the cache kept, y-tiptap
 *    answers every remote change by replacing the whole ProseMirror document with one rebuilt
 *    from Yjs, then works out where the local cursor went by resolving its Yjs position and
 *    second-guessing it. When the change is only characters typed or deleted in one paragraph
 *    (by far the most common remote change), the same result comes from one small step: the
 *    characters inserted or deleted at their place. ProseMirror maps the local cursor through it
 *    with the same bias as its Yjs position (to the left), so it stays where it was. Anything
 *    else (formatting, new or removed blocks, a paragraph holding more than its text, a snapshot
 *    on screen) takes y-tiptap's way as before.
 */
interface FastBinding extends Binding {
  mux(run: () => void): void;
  readonly _tr: Transaction;
}

const viaRebuild = binding._typeChanged;

binding._typeChanged = function (this: Binding, events, transaction) {
  const self = this as FastBinding;
  const view = self.prosemirrorView as unknown as EditorViewLike | null;
  if (view == null) return;
  const sync = ySyncPluginKey.getState(view.state as never) as { snapshot: unknown; prevSnapshot: unknown } | undefined;
  if (!sync || sync.snapshot != null || sync.prevSnapshot != null || events.length !== 1) {
    return viaRebuild.call(this, events, transaction);
  }
  let outcome: Outcome | null = null;
  self.mux(() => {
    outcome = applyTypedText(self, view, events[0] as Y.YTextEvent, transaction);
  });
  // No outcome: a change this binding is making itself, which y-tiptap skips too.
  if (outcome === 'not-typing') viaRebuild.call(this, events, transaction);
};

type Outcome = 'applied' | 'not-typing';

interface EditorViewLike {
  state: { doc: PMNode; selection: { anchor: number; head: number } & object; schema: { text(text: string): PMNode } };
  dispatch(tr: Transaction): void;
}

function applyTypedText(self: FastBinding, view: EditorViewLike, event: Y.YTextEvent, transaction: Y.Transaction): Outcome {
  const text = event.target;
  if (!(text instanceof Y.XmlText) || event.keysChanged.size > 0) return 'not-typing';
  const paragraph = text.parent;
  if (!(paragraph instanceof Y.XmlElement) || paragraph.length !== 1) return 'not-typing';
  const place = placeOf(self, view.state.doc, paragraph);
  if (place === null) return 'not-typing';
  const { start, top, topIndex } = place;
  const node = view.state.doc.nodeAt(start);
  if (node === null || !node.isTextblock) return 'not-typing';
  const tr = self._tr;
  let at = start + 1;
  let inserted = 0;
  let deleted = 0;
  try {
    for (const op of event.delta) {
      if (op.attributes) return 'not-typing';
      if (op.retain !== undefined) at += op.retain;
      else if (typeof op.insert === 'string') {
        if (op.insert.length === 0) continue;
        tr.insert(at, view.state.schema.text(op.insert));
        at += op.insert.length;
        inserted += op.insert.length;
      } else if (op.delete !== undefined) {
        tr.delete(at, at + op.delete);
        deleted += op.delete;
      } else return 'not-typing';
    }
  } catch {
    return 'not-typing';
  }
  // The paragraph held exactly the text before the change, and holds it after.
  if (node.content.size !== text.length - inserted + deleted) return 'not-typing';
  const after = tr.doc.nodeAt(start);
  if (after === null || after.content.size !== text.length) return 'not-typing';
  const selection = view.state.selection;
  if (selection instanceof TextSelection) {
    tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(selection.anchor, -1), tr.mapping.map(selection.head, -1)));
  }
  tr.setMeta(ySyncPluginKey, { isChangeOrigin: true, isUndoRedoOperation: transaction.origin instanceof Y.UndoManager });
  self.mapping.delete(text);
  const changed = tr.doc.child(topIndex);
  view.dispatch(tr);
  // The paragraph's block as this change made it; should a follow-up transaction of the editor
  // move it, the next remote keystroke finds it elsewhere and takes y-tiptap's way.
  repoint(self.mapping, top, changed);
  return 'applied';
}

/**
 * Where `element`'s node starts in `doc`, with the top-level element it sits in and that one's
 * index, if every element on the way there maps to the node at its place.
 */
function placeOf(self: Binding, doc: PMNode, element: Y.XmlElement): { start: number; top: Y.XmlElement; topIndex: number } | null {
  const chain: Y.XmlElement[] = [];
  for (let at: Y.AbstractType<any> | null = element; at !== self.type; at = at.parent) {
    if (!(at instanceof Y.XmlElement)) return null;
    chain.push(at);
  }
  let container = doc;
  let pos = 0;
  let topIndex = -1;
  for (let i = chain.length - 1; i >= 0; i--) {
    const y = chain[i]!;
    const node = self.mapping.get(y);
    const index = indexOf(y.parent as Y.XmlElement | Y.XmlFragment, y);
    if (index < 0 || index >= container.childCount || container.child(index) !== node) return null;
    if (topIndex < 0) topIndex = index;
    for (let k = 0; k < index; k++) pos += container.child(k).nodeSize;
    if (i === 0) return { start: pos, top: chain[chain.length - 1]!, topIndex };
    container = node;
    pos += 1;
  }
  return null;
}

function indexOf(parent: Y.XmlElement | Y.XmlFragment, child: Y.AbstractType<any>): number {
  let index = 0;
  for (let item = parent._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (item.content instanceof Y.ContentType && item.content.type === child) return index;
    index += item.length;
  }
  return -1;
}

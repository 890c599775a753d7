import { ProsemirrorBinding } from '@tiptap/y-tiptap';

/**
 * y-tiptap (Tiptap's fork of y-prosemirror, 3.0.x) decides on every remote change whether to
 * scroll this person's cursor into view: it measures the selection, which forces a layout of
 * the whole editor, and then scrolls, which measures again. That was work on every page for
 * every keystroke of everyone at the table, growing with the length of the text. A remote edit
 * does not move this person's cursor: text inserted above it is kept in place by the browser's
 * scroll anchoring, and the cursor stays where it was in the text. So the measuring is left out.
 *
 * (y-tiptap also rebuilds the whole document from Yjs on every remote change, on purpose: its
 * node cache goes stale otherwise. Keeping the cache lost a paragraph in richTextSync.spec.ts,
 * so that cost stays.)
 */
(ProsemirrorBinding.prototype as unknown as { _isLocalCursorInView(): boolean })._isLocalCursorInView = () => false;

// Shared by fuzz.mjs and fuzz2.mjs: the binding mode (MODE=clear|cache|fix, FIX=1 for the
// cursor fix), a headless EditorView stand-in with Tiptap's schema and trailing paragraph, a
// seeded random source, and a peer (Y.Doc + binding).
import * as Y from 'yjs';
import { EditorState, Plugin, PluginKey } from '@tiptap/pm/state';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { ProsemirrorBinding, ySyncPlugin, yUndoPlugin } from '@tiptap/y-tiptap';

export const MODE = process.env.MODE || 'clear'; // clear | cache | fix
export const SEEDS = +(process.env.SEEDS || 200);
export const VERBOSE = !!process.env.VERBOSE;

ProsemirrorBinding.prototype._isLocalCursorInView = () => false;
const orig = ProsemirrorBinding.prototype._typeChanged;
if (MODE === 'fix') (await import('./fix.mjs')).installCacheWithResync(ProsemirrorBinding);
if (MODE === 'cache') {
  ProsemirrorBinding.prototype._typeChanged = function (events, transaction) {
    const m = this.mapping;
    if (!transaction.changed.has(this.type)) m.clear = () => {};
    try { return orig.call(this, events, transaction); } finally { delete m.clear; }
  };
}
if (process.env.FIX) (await import('./fix.mjs')).installCursorFix(ProsemirrorBinding);

export const schema = getSchema([StarterKit.configure({ undoRedo: false })]);

const trailingKey = new PluginKey('trailing');
const trailing = new Plugin({
  key: trailingKey,
  appendTransaction: (trs, _o, state) => {
    if (trs.some((t) => t.getMeta('skipTrailingNode'))) return;
    if (!trailingKey.getState(state)) return;
    return state.tr.insert(state.doc.content.size, schema.nodes.paragraph.create());
  },
  state: {
    init: (_, state) => state.doc.lastChild?.type.name !== 'paragraph',
    apply: (tr, v) => (!tr.docChanged ? v : tr.doc.lastChild?.type.name !== 'paragraph'),
  },
});

export function makeRng(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

export function peer(name, clientID) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const frag = doc.getXmlFragment('f');
  const plugins = [ySyncPlugin(frag), yUndoPlugin(), trailing];
  const view = {
    name,
    state: EditorState.create({ schema, plugins }),
    hasFocus: () => true,
    pluginViews: [],
    dispatch(tr) {
      const prev = this.state;
      this.state = this.state.apply(tr);
      for (const pv of this.pluginViews) pv.update?.(this, prev);
    },
  };
  view.pluginViews = view.state.plugins.filter((p) => p.spec.view).map((p) => p.spec.view(view));
  return { name, doc, frag, view };
}

import { TextSelection } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
export function installCursorFix(ProsemirrorBinding) {
  const proto = ProsemirrorBinding.prototype;
  const typeChanged = proto._typeChanged;
  proto._typeChanged = function (events, transaction) {
    const view = this.prosemirrorView;
    const rel = this.beforeTransactionSelection;
    if (!view || !rel || rel.type !== 'text' || rel.anchor == null || rel.head == null) return typeChanged.call(this, events, transaction);
    const oldDoc = view.state.doc;
    const own = Object.prototype.hasOwnProperty.call(view, 'dispatch');
    const original = view.dispatch;
    const restore = () => { if (own) view.dispatch = original; else delete view.dispatch; };
    view.dispatch = (tr) => {
      restore();
      const keep = (abs, relPos) => {
        if (abs == null) return null;
        const $old = oldDoc.resolve(Math.min(abs, oldDoc.content.size));
        if (!$old.parent.isTextblock || $old.parent.content.size !== 0) return null;
        const yjs = relativePositionToAbsolutePosition(this.doc, this.type, relPos, this.mapping);
        if (yjs === null || yjs > tr.doc.content.size) return null;
        const $new = tr.doc.resolve(yjs);
        return $new.parent.isTextblock && $new.parent.content.size === 0 ? yjs : null;
      };
      const a = keep(rel.absAnchor, rel.anchor), h = keep(rel.absHead, rel.head);
      if (a !== null || h !== null) {
        const sel = tr.selection;
        tr.setSelection(TextSelection.create(tr.doc, a ?? sel.anchor, h ?? sel.head));
      }
      original.call(view, tr);
    };
    try { return typeChanged.call(this, events, transaction); } finally { if (view.dispatch !== original && !own) restore(); }
  };
}

import * as Y from 'yjs';
/** Cache kept unless top-level blocks changed; afterwards the element mapping is re-derived from the
 *  PM nodes now in the document (what mapping.clear + full rebuild would leave), text entries dropped. */
export function installCacheWithResync(ProsemirrorBinding) {
  const proto = ProsemirrorBinding.prototype;
  const typeChanged = proto._typeChanged;
  proto._typeChanged = function (events, transaction) {
    if (transaction.changed.has(this.type)) return typeChanged.call(this, events, transaction);
    const m = this.mapping;
    m.clear = () => {};
    try { typeChanged.call(this, events, transaction); } finally { delete m.clear; }
    const walk = (y, p) => {
      m.set(y, p);
      let pi = 0;
      const pc = p.content;
      for (let c = y._start; c !== null; c = c.right) {
        if (c.deleted || !(c.content instanceof Y.ContentType)) continue;
        const t = c.content.type;
        if (t instanceof Y.XmlText) {
          m.delete(t);
          while (pi < pc.childCount && pc.child(pi).isText) pi++;
        } else if (t instanceof Y.XmlElement) {
          const pn = pi < pc.childCount ? pc.child(pi) : null;
          if (pn === null || pn.isText || pn.type.name !== t.nodeName) { m.delete(t); return; }
          walk(t, pn); pi++;
        }
      }
    };
    if (this.prosemirrorView == null) return;
    for (const t of this.type.toArray()) {
      const n = m.get(t);
      if (n && !Array.isArray(n)) walk(t, n);
    }
  };
}

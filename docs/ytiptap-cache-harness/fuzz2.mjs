import { joinBackward, deleteSelection } from '@tiptap/pm/commands';
import { liftListItem, sinkListItem, splitListItem } from '@tiptap/pm/schema-list';
// Headless two-peer fuzz of y-tiptap's binding (fake EditorView), to compare mapping.clear vs cache.
import * as Y from 'yjs';
import { TextSelection } from '@tiptap/pm/state';
import { splitBlock } from '@tiptap/pm/commands';
import { wrapInList } from '@tiptap/pm/schema-list';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { MODE, SEEDS, VERBOSE, schema, makeRng, peer } from './peers.mjs';


function run(seed) {
  const rnd = makeRng(seed);
  const peers = [peer('A', 1), peer('B', 2), peer('C', 3)];
  const queues = new Map();
  for (const p of peers) for (const q of peers) if (p !== q) queues.set(p.name + q.name, []);
  for (const p of peers) p.doc.on('update', (u, origin) => { if (origin !== 'net') for (const q of peers) if (q !== p) queues.get(p.name + q.name).push(u); });
  const A = peers[0];
  const log0 = [];
  for (const p of peers) p.doc.on('afterTransaction', (tr) => { if (tr.origin === 'net' || !VERBOSE) return; let dels = []; tr.deleteSet.clients.forEach((ds, c) => ds.forEach(d => { const items = (p.doc.store.clients.get(c) || []).filter(it => it.id.clock < d.clock + d.len && it.id.clock + it.length > d.clock); dels.push(c + ':' + d.clock + '+' + d.len + '[' + items.map(it => it.content.constructor.name.replace('Content','') + (it.content.type ? '<' + (it.content.type.nodeName || 'text') + '>' : it.content.str !== undefined ? JSON.stringify(it.content.str) : '')).join(' ') + ']'); })); let ins = []; tr.afterState.forEach((clock, c) => { const b = tr.beforeState.get(c) || 0; if (clock > b) { const items = (p.doc.store.clients.get(c) || []).filter(it => it.id.clock >= b); ins.push(c + ':' + b + '-' + clock + '[' + items.map(it => it.content.constructor.name.replace('Content','') + (it.content.type ? '<' + (it.content.type.nodeName || 'text') + '>' : it.content.str !== undefined ? JSON.stringify(it.content.str) : '')).join(' ') + ']'); } }); log0.push('     ' + p.name + ' ytx del=' + dels.join(',') + ' ins=' + ins.join(',')); });
  const type = (p, s) => { for (const ch of s) p.view.dispatch(p.view.state.tr.insertText(ch)); };
  const cmd = (p, c) => c(p.view.state, (tr) => p.view.dispatch(tr));
  type(A, 'one'); cmd(A, splitBlock); type(A, 'two'); cmd(A, splitBlock); type(A, 'three');
  for (const q of peers.slice(1)) Y.applyUpdate(q.doc, Y.encodeStateAsUpdate(A.doc), 'net');
  for (const k of queues.keys()) queues.get(k).length = 0;
  const log = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const randPos = (p) => {
    const doc = p.view.state.doc; const cands = [];
    doc.descendants((n, at) => { if (n.isTextblock) for (let i = 0; i <= n.content.size; i++) cands.push(at + 1 + i); });
    return cands[Math.floor(rnd() * cands.length)];
  };
  let steps = 120;
  while (steps-- > 0 || [...queues.values()].some((q) => q.length)) {
    const r = rnd();
    if (steps > 0 && r < 0.55) {
      const p = peers[Math.floor(rnd() * peers.length)];
      const o = rnd();
      try {
        if (o < 0.1) { const pos = randPos(p); p.view.dispatch(p.view.state.tr.setSelection(TextSelection.create(p.view.state.doc, pos))); log.push(p.name + ':move'); }
        else if (o < 0.6) { type(p, letters[Math.floor(rnd() * 26)]); log.push(p.name + ':type'); }
        else if (o < 0.72) { cmd(p, p.view.state.selection.$from.depth > 1 ? splitListItem(schema.nodes.listItem) : splitBlock); log.push(p.name + ':enter'); }
        else if (o < 0.8) { if (VERBOSE) { const ds = (d) => JSON.stringify(d.toJSON()); log.push('      before join PM ' + ds(p.view.state.doc) + ' sel ' + p.view.state.selection.head); log.push('      before join Y  ' + ds(yXmlFragmentToProseMirrorRootNode(p.frag, schema))); const b = p.view.state.plugins[0].getState(p.view.state).binding; const m = b.mapping; const top = p.frag.toArray(); log.push('      mapping top: ' + top.map((t, i) => { const n = m.get(t); let idx = -1; p.view.state.doc.forEach((c, _o, j) => { if (c === n) idx = j; }); return i + '->' + (n ? idx : 'none'); }).join(' ') + ' size ' + m.size + ' ' + [...m.keys()].map(k => (k._item?.deleted ? 'DEAD-' : '') + (k.nodeName || 'text') + (Array.isArray(m.get(k)) ? '[' + m.get(k).map(x=>x.text).join('') + ']' : '')).join(',')); } cmd(p, joinBackward); log.push(p.name + ':join'); if (VERBOSE) log.push('      after join PM ' + JSON.stringify(p.view.state.doc.toJSON())); }
        else if (o < 0.86) { cmd(p, wrapInList(schema.nodes.bulletList)); log.push(p.name + ':list'); }
        else if (o < 0.9) { cmd(p, liftListItem(schema.nodes.listItem)); log.push(p.name + ':lift'); }
        else if (o < 0.93) { cmd(p, sinkListItem(schema.nodes.listItem)); log.push(p.name + ':sink'); }
        else { const a = randPos(p), b = randPos(p); if (a !== b) { p.view.dispatch(p.view.state.tr.setSelection(TextSelection.create(p.view.state.doc, Math.min(a,b), Math.max(a,b)))); cmd(p, deleteSelection); log.push(p.name + ':delrange'); } }
      } catch (e) { log.push('!! throw ' + e.message); }
    } else {
      const keys = [...queues.keys()].filter((k) => queues.get(k).length);
      if (keys.length) { const k = keys[Math.floor(rnd() * keys.length)]; const to = peers.find((p) => p.name === k[1]); Y.applyUpdate(to.doc, queues.get(k).shift(), 'net'); log.push(k); }
    }
    if (VERBOSE) { log.push(...log0); log0.length = 0; }
    if (VERBOSE) log.push('   ' + peers.map(p => p.name + '=' + JSON.stringify(p.view.state.doc.textBetween(0, p.view.state.doc.content.size, '|', '^')) + '@' + p.view.state.selection.head).join(' '));
    for (const p of peers) {
      const fromY = yXmlFragmentToProseMirrorRootNode(p.frag, schema);
      const pm = p.view.state.doc;
      if (!fromY.eq(pm)) {
        const trimmed = pm.lastChild?.type.name === 'paragraph' && pm.lastChild.content.size === 0 ? pm.copy(pm.content.cut(0, pm.content.size - 2)) : null;
        if (!(trimmed && fromY.eq(trimmed))) log.push(`!! ${p.name} PM/Y diverge after ${log[log.length-1]}: PM=${JSON.stringify(pm.toJSON())} Y=${JSON.stringify(fromY.toJSON())}`);
      }
    }
  }
  // settle: a local no-op keystroke flushes trailing nodes
  const text = (p) => JSON.stringify(p.view.state.doc.toJSON());
  const ys = peers.map((p) => JSON.stringify(yXmlFragmentToProseMirrorRootNode(p.frag, schema).toJSON()));
  const ok = ys.every((y) => y === ys[0]);
  return { ok, ta: text(peers[0]), tb: ys[0] === ys[1] && ys[1] === ys[2] ? 'Y-converged' : 'Y-DIVERGED', log };
}
let fails = 0; const OUT = process.env.OUT;
const FIRST = +(process.env.SEED || 1);
for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
  let res;
  try { res = run(seed); } catch (e) { res = { ok: false, ta: 'THROW ' + e.stack, tb: '', log: [] }; }
  if (OUT) console.log("OUT", seed, res.ta, "//", res.tb);
  if (VERBOSE && res.ok) console.log(res.log.join("\n"));
  const diverge = res.log.filter((l) => l.startsWith('!!'));
  if (!res.ok || diverge.length) {
    fails++;
    console.log("FAILSEED", seed, diverge.length); if (fails <= 3 || VERBOSE) {
      console.log(`seed ${seed} ok=${res.ok}\n A: ${res.ta}\n B: ${res.tb}`);
      if (VERBOSE) console.log(res.log.join('\n'));
      else console.log(diverge.slice(0, 3).join('\n'));
    }
  }
}
console.log(`MODE=${MODE} fails ${fails}/${SEEDS}`);

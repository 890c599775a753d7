import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, Plugin, TextSelection, type Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import { ySyncPlugin, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import '../../../src/case/richTextBinding.ts';

/**
 * The binding corrections of `src/case/richTextBinding.ts` against an editor without a DOM:
 * an EditorView stand-in that applies transactions and runs the plugin views, as ProseMirror's
 * view does (the DOM is ProseMirror's business, not the binding's).
 */
const schema = getSchema([StarterKit.configure({ undoRedo: false })]);

interface Peer {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  view: { state: EditorState; dispatch(tr: Transaction): void; hasFocus(): boolean };
  /** Every transaction the binding dispatched for a remote change. */
  remote: Transaction[];
}

function peer(clientID: number, extra: Plugin[] = []): Peer {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const fragment = doc.getXmlFragment('text');
  const remote: Transaction[] = [];
  const pluginViews: { update?: (view: unknown, prev: EditorState) => void }[] = [];
  const view = {
    state: EditorState.create({ schema, plugins: [ySyncPlugin(fragment), ...extra] }),
    hasFocus: () => true,
    dispatch(tr: Transaction) {
      if ((tr.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin) remote.push(tr);
      const prev = view.state;
      view.state = view.state.apply(tr);
      for (const pluginView of pluginViews) pluginView.update?.(view, prev);
    },
  };
  for (const plugin of view.state.plugins) {
    const made = plugin.spec.view?.(view as never);
    if (made) pluginViews.push(made as never);
  }
  return { doc, fragment, view, remote };
}

/** Sends everything `from` has that `to` lacks. */
function deliver(from: Peer, to: Peer): void {
  Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), 'remote');
}

function paragraphs(...texts: string[]): PMNode {
  return schema.node('doc', null, texts.map((t) => schema.node('paragraph', null, t ? [schema.text(t)] : [])));
}

function setDoc(p: Peer, doc: PMNode): void {
  const tr = p.view.state.tr.replaceWith(0, p.view.state.doc.content.size, doc.content);
  p.view.dispatch(tr);
}

function type(p: Peer, at: number, text: string): void {
  p.view.dispatch(p.view.state.tr.insertText(text, at));
}

/** What y-tiptap's full rebuild makes of the peer's Yjs text. */
function rebuilt(p: Peer): unknown {
  return yXmlFragmentToProseMirrorRootNode(p.fragment, schema).toJSON();
}

/** End of the paragraph with index `i` (its last text position). */
function endOf(doc: PMNode, i: number): number {
  let pos = 0;
  for (let k = 0; k <= i; k++) pos += doc.child(k).nodeSize;
  return pos - 1;
}

describe('a remote keystroke in a paragraph', () => {
  it('arrives as one small step, and every other paragraph stays the same node', () => {
    const a = peer(1);
    const b = peer(2);
    setDoc(a, paragraphs('Erster Absatz', 'Zweiter Absatz', 'Dritter Absatz'));
    deliver(a, b);
    const before = b.view.state.doc;
    b.remote.length = 0;

    type(a, endOf(a.view.state.doc, 1), 'x');
    deliver(a, b);

    expect(b.view.state.doc.toJSON()).toEqual(a.view.state.doc.toJSON());
    expect(b.view.state.doc.toJSON()).toEqual(rebuilt(b));
    expect(b.remote).toHaveLength(1);
    const steps = b.remote[0]!.steps;
    expect(steps).toHaveLength(1);
    const step = steps[0] as ReplaceStep;
    // Not y-tiptap's replacement of the whole document: just the character.
    expect(step).toBeInstanceOf(ReplaceStep);
    expect([step.from, step.to, step.slice.content.textBetween(0, step.slice.content.size)]).toEqual([
      endOf(before, 1),
      endOf(before, 1),
      'x',
    ]);
    expect(b.view.state.doc.child(0)).toBe(before.child(0));
    expect(b.view.state.doc.child(2)).toBe(before.child(2));
  });

  it('leaves the local cursor before text typed remotely at the same place, and moves it with text typed before it', () => {
    const a = peer(1);
    const b = peer(2);
    setDoc(a, paragraphs('abc def'));
    deliver(a, b);
    // b's cursor sits after "abc".
    b.view.dispatch(b.view.state.tr.setSelection(TextSelection.create(b.view.state.doc, 4)));

    type(a, 4, 'X');
    deliver(a, b);
    expect(b.view.state.doc.textContent).toBe('abcX def');
    expect(b.view.state.selection.head).toBe(4);

    type(a, 1, 'YY');
    deliver(a, b);
    expect(b.view.state.doc.textContent).toBe('YYabcX def');
    expect(b.view.state.selection.head).toBe(6);
  });

  it('takes a deletion the same way', () => {
    const a = peer(1);
    const b = peer(2);
    setDoc(a, paragraphs('eins', 'zwei drei'));
    deliver(a, b);
    b.remote.length = 0;
    a.view.dispatch(a.view.state.tr.delete(11, 16));
    deliver(a, b);
    expect(b.view.state.doc.toJSON()).toEqual(paragraphs('eins', 'zwei').toJSON());
    expect(b.remote[0]!.steps).toHaveLength(1);
    expect((b.remote[0]!.steps[0] as ReplaceStep).from).toBe(11);
  });

  it('still puts keystrokes in their paragraphs after a follow-up transaction of the editor moved them', () => {
    // An editor plugin that answers a remote change by putting a paragraph at the top (as a
    // trailing-node or schema-fixing plugin may do elsewhere): the typed paragraph moves down.
    const top = new Plugin({
      appendTransaction: (trs, _old, state) => {
        const remote = trs.some((tr) => (tr.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin);
        if (!remote || state.doc.firstChild?.textContent !== 'oben') return null;
        return state.tr.insert(0, schema.node('paragraph', null, [schema.text('eingefügt')]));
      },
    });
    const a = peer(1);
    const b = peer(2, [top]);
    setDoc(a, paragraphs('obe', 'unten'));
    deliver(a, b);
    type(a, 4, 'n');
    deliver(a, b);
    expect(b.view.state.doc.toJSON()).toEqual(paragraphs('eingefügt', 'oben', 'unten').toJSON());
    // Later keystrokes still land in their paragraphs.
    type(a, 12, '!');
    type(a, 13, '?');
    deliver(a, b);
    expect(a.view.state.doc.toJSON()).toEqual(paragraphs('oben', 'unten!?').toJSON());
    expect(b.view.state.doc.toJSON()).toEqual(paragraphs('eingefügt', 'oben', 'unten!?').toJSON());
  });
});

describe('remote changes of every kind', () => {
  type Op =
    | { kind: 'type'; who: number; at: number; text: string }
    | { kind: 'delete'; who: number; at: number; length: number }
    | { kind: 'bold'; who: number; at: number; length: number }
    | { kind: 'split'; who: number; at: number }
    | { kind: 'list'; who: number; at: number }
    | { kind: 'cursor'; who: number; at: number }
    | { kind: 'deliver'; from: number; to: number };

  const who = fc.integer({ min: 0, max: 2 });
  const at = fc.nat({ max: 1000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('type' as const), who, at, text: fc.constantFrom('a', 'b', 'ß', 'xy', ' ', '😀') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), who, at, length: fc.integer({ min: 1, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bold' as const), who, at, length: fc.integer({ min: 1, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('split' as const), who, at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('list' as const), who, at }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cursor' as const), who, at }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: who, to: who }) },
  );

  /**
   * A text position of `doc` near `at`, never between the two halves of an emoji: an editor
   * moves, types and deletes whole characters, and Yjs itself cannot keep half of one (it sends
   * a lone surrogate as U+FFFD, so the copies would differ whatever the binding does).
   */
  const textPos = (doc: PMNode, at: number): number => wholeChar(doc, TextSelection.near(doc.resolve(Math.min(at, doc.content.size))).head);
  const wholeChar = (doc: PMNode, pos: number): number => {
    const $pos = doc.resolve(pos);
    const text = $pos.parent.isTextblock ? $pos.parent.textContent : '';
    const offset = $pos.parentOffset;
    const high = text.charCodeAt(offset - 1);
    const low = text.charCodeAt(offset);
    return offset > 0 && high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? pos + 1 : pos;
  };

  function apply(peers: Peer[], o: Op): void {
    if (o.kind === 'deliver') {
      if (o.from !== o.to) deliver(peers[o.from]!, peers[o.to]!);
      return;
    }
    const p = peers[o.who]!;
    const state = p.view.state;
    const from = textPos(state.doc, o.at);
    if (o.kind === 'type') p.view.dispatch(state.tr.insertText(o.text, from));
    else if (o.kind === 'cursor') p.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, from)));
    else if (o.kind === 'split') p.view.dispatch(state.tr.split(from));
    else {
      const $from = state.doc.resolve(from);
      const to = wholeChar(state.doc, Math.min(from + ('length' in o ? o.length : 0), $from.end()));
      if (o.kind === 'delete' && to > from) p.view.dispatch(state.tr.delete(from, to));
      if (o.kind === 'bold' && to > from) p.view.dispatch(state.tr.addMark(from, to, schema.marks.bold!.create()));
      if (o.kind === 'list') {
        const range = $from.blockRange();
        const list = range && schema.nodes.bulletList!;
        if (range && list && $from.depth === 1) {
          const tr = state.tr;
          tr.wrap(range, [{ type: list }, { type: schema.nodes.listItem! }]);
          p.view.dispatch(tr);
        }
      }
    }
  }

  it('every editor shows exactly what its Yjs text holds, and all agree at the end', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60 }), (ops) => {
        const peers = [peer(1), peer(2), peer(3)];
        setDoc(peers[0]!, paragraphs('Erster Absatz mit Text', '', 'Dritter'));
        for (const p of peers.slice(1)) deliver(peers[0]!, p);
        for (const o of ops) {
          apply(peers, o);
          for (const p of peers) expect(p.view.state.doc.toJSON()).toEqual(rebuilt(p));
        }
        for (const from of peers) for (const to of peers) if (from !== to) deliver(from, to);
        const docs = peers.map((p) => JSON.stringify(p.view.state.doc.toJSON()));
        expect(new Set(docs).size).toBe(1);
      }),
      { numRuns: 300, seed: 4711 },
    );
  });
});

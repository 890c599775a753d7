import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence, type SaveState } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

/** An update as it arrives from another device: applied, not typed here (transaction.local is false). */
function fromPeer(doc: Y.Doc, text: string): void {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  peer.getText('t').insert(peer.getText('t').length, text);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'room');
}

async function loaded(db: RunderTischDb, key: string): Promise<string> {
  const doc = new Y.Doc();
  const p = await DocPersistence.open(db, key, doc);
  p.destroy();
  return doc.getText('t').toString();
}

describe('DocPersistence with updates from other devices', () => {
  it('writes a burst of remote updates as one row, and is "saving" until then', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    const states: SaveState['kind'][] = [];
    p.onState((s) => states.push(s.kind));
    for (const ch of 'Hallo') fromPeer(doc, ch);
    expect(p.state.kind).toBe('saving');
    expect(await db.updates.count()).toBe(0);
    await p.whenSaved();
    expect(await db.updates.count()).toBe(1);
    expect(p.state.kind).toBe('saved');
    expect(states).toEqual(['saved', 'saving', 'saved']);
    expect(await loaded(db, 'c/shared')).toBe('Hallo');
  });

  it('writes them by itself after the delay, without anyone asking', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    fromPeer(doc, 'x');
    expect(p.state.kind).toBe('saving');
    await new Promise<void>((resolve) => p.onState((s) => s.kind === 'saved' && resolve()));
    expect(await loaded(db, 'c/shared')).toBe('x');
    p.destroy();
  });

  it('writes a local edit at once, taking waiting remote updates with it', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    fromPeer(doc, 'a');
    doc.getText('t').insert(1, 'b');
    // The local edit started the write; nothing waits for the remote delay any more.
    await p.whenSaved();
    expect(await loaded(db, 'c/shared')).toBe('ab');
    p.destroy();
  });

  it('does not drop waiting remote updates when destroyed', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    fromPeer(doc, 'kept');
    p.destroy();
    await p.whenSaved();
    expect(await loaded(db, 'c/shared')).toBe('kept');
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPersistence, type SaveState } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

/**
 * joinByInvite hands the case page a doc whose received state is queued with saveFullState
 * but not yet written. These pin what that relies on: nothing is lost if the user edits before
 * the write lands, and a failed write is reported and kept for retry.
 */

function received(): Y.Doc {
  const remote = new Y.Doc();
  remote.getText('t').insert(0, 'vom Gastgeber');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'peer');
  return doc;
}

describe('a received state written in the background', () => {
  it('is stored together with an edit made before its write finished', async () => {
    const db = freshDb();
    const doc = received();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    p.saveFullState();
    expect(p.state.kind).toBe('saving');
    doc.getText('t').insert(0, 'Notiz: ');
    await p.whenSaved();
    p.destroy();

    const again = new Y.Doc();
    await DocPersistence.open(db, 'c/shared', again);
    expect(again.getText('t').toString()).toBe('Notiz: vom Gastgeber');
  });

  it('reports a failed write to whoever follows the save state, and writes it on retry', async () => {
    const db = freshDb();
    const doc = received();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    const realAdd = db.updates.add.bind(db.updates);
    let fail = true;
    db.updates.add = ((row: never) => {
      if (fail) {
        const error = new Error('The quota has been exceeded.');
        error.name = 'QuotaExceededError';
        return Promise.reject(error);
      }
      return realAdd(row);
    }) as typeof db.updates.add;
    p.saveFullState();
    // The case page subscribes only after the hand-over; it must still learn of the failure.
    const failed = new Promise<SaveState>((resolve) =>
      p.onState((state) => {
        if (state.kind === 'failed') resolve(state);
      }),
    );
    expect(await failed).toMatchObject({ kind: 'failed', reason: 'quota' });
    // Closing the case or locking the device waits for it and learns of the failure too.
    await expect(p.whenSaved()).rejects.toThrow(/quota/);
    fail = false;
    await p.retry();
    expect(p.state).toEqual({ kind: 'saved' });
    const again = new Y.Doc();
    await DocPersistence.open(db, 'c/shared', again);
    expect(again.getText('t').toString()).toBe('vom Gastgeber');
  });
});

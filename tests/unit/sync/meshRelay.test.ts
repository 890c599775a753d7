import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LINKS_FIELD, nothingWaited, relayNeeded, watchWaiting } from '../../../src/sync/meshRelay.ts';

/** A room as meshRelay sees it: this device (client 1) and the others' awareness states. */
function room(myLinks: number, others: Record<number, Record<string, unknown>>, bc = 0) {
  const states = new Map<number, Record<string, unknown>>([[1, {}], ...Object.entries(others).map(([id, s]) => [Number(id), s] as const)]);
  const webrtcConns = new Map(Array.from({ length: myLinks }, (_, i) => [`p${i}`, { connected: true }] as const));
  return { awareness: { clientID: 1, getStates: () => states }, webrtcConns, bcConns: new Set(Array.from({ length: bc }, (_, i) => `bc${i}`)) };
}

describe('relaying received updates', () => {
  it('is skipped when everyone is linked to everyone', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 2 } }))).toBe(false);
  });
  it('is needed while someone is linked to fewer than all others', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 1 } }))).toBe(true);
  });
  it('is needed while this device itself misses a link', () => {
    expect(relayNeeded(room(1, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 2 } }))).toBe(true);
  });
  it('is needed for a participant that says nothing about its links (a stock client)', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: {} }))).toBe(true);
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 'all' } }))).toBe(true);
  });
  it('is needed when another tab shares the room over BroadcastChannel', () => {
    expect(relayNeeded(room(1, { 2: { [LINKS_FIELD]: 1 } }, 1))).toBe(true);
  });
  it('has nobody to reach when alone', () => {
    expect(relayNeeded(room(0, {}))).toBe(false);
  });
});

describe('passing an update back to its sender', () => {
  // The update Yjs reports for a transaction: what the handler of a received update would pass on.
  function reported(doc: Y.Doc, apply: () => void): { update: Uint8Array; nothingWaited: boolean } {
    let seen: { update: Uint8Array; nothingWaited: boolean } | null = null;
    const onUpdate = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
      (seen = { update, nothingWaited: nothingWaited(transaction) });
    doc.on('update', onUpdate);
    apply();
    doc.off('update', onUpdate);
    return seen!;
  }

  it('is left out when nothing waited: the update reported is the one received', () => {
    const author = new Y.Doc();
    author.getText('t').insert(0, 'Hallo');
    const received = Y.encodeStateAsUpdate(author);
    const doc = new Y.Doc();
    watchWaiting(doc);
    const { update, nothingWaited: clean } = reported(doc, () => Y.applyUpdate(doc, received));
    expect(clean).toBe(true);
    const only = new Y.Doc();
    Y.applyUpdate(only, update);
    expect(only.getText('t').toString()).toBe('Hallo');
  });

  it('is not left out when a waiting update got in with it: the sender may lack that part', () => {
    const author = new Y.Doc();
    author.getText('t').insert(0, 'Hallo');
    const first = Y.encodeStateAsUpdate(author);
    const before = Y.encodeStateVector(author);
    author.getText('t').insert(5, ' Welt');
    const second = Y.encodeStateAsUpdate(author, before);
    const doc = new Y.Doc();
    watchWaiting(doc);
    // The second part comes first (another path) and waits for the first.
    Y.applyUpdate(doc, second);
    expect(doc.getText('t').toString()).toBe('');
    const { update, nothingWaited: clean } = reported(doc, () => Y.applyUpdate(doc, first));
    expect(clean).toBe(false);
    // The reported update holds the waiting part too: passing it back to the first one's sender
    // would have been needed if that sender did not have it.
    const only = new Y.Doc();
    Y.applyUpdate(only, update);
    expect(only.getText('t').toString()).toBe('Hallo Welt');
  });

  it('a transaction Yjs runs while reporting another does not make the reported one clean', () => {
    // Formatting cleanup after a remote change to formatted text is such a transaction.
    const author = new Y.Doc();
    const text = author.getText('t');
    text.insert(0, 'Hallo', { bold: true });
    const first = Y.encodeStateAsUpdate(author);
    const before = Y.encodeStateVector(author);
    text.insert(5, ' Welt', { bold: true });
    text.format(0, 5, { bold: null });
    const second = Y.encodeStateAsUpdate(author, before);
    const doc = new Y.Doc();
    watchWaiting(doc);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      // Any transaction started while the first is being reported.
      if (transaction.origin === 'remote') doc.transact(() => {}, 'inner');
    });
    Y.applyUpdate(doc, second, 'remote');
    const { nothingWaited: clean } = reported(doc, () => Y.applyUpdate(doc, first, 'remote'));
    expect(clean).toBe(false);
  });

  it('an unwatched document never counts as clean', () => {
    const doc = new Y.Doc();
    let clean: boolean | null = null;
    doc.on('update', (_u: Uint8Array, _o: unknown, _d: Y.Doc, transaction: Y.Transaction) => (clean = nothingWaited(transaction)));
    doc.getText('t').insert(0, 'x');
    expect(clean).toBe(false);
  });
});

import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { fingerprint, generateDeviceIdentity } from '../../../src/crypto/identity.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';
import { newId } from '../../../src/domain/ids.ts';
import { admit, knockAndWait, readKnocks } from '../../../src/sync/lobby.ts';

/** Host and knocker on one lobby doc pair, kept in sync. */
function linked(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
  b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
  return [a, b];
}

async function firstKnock(doc: Y.Doc) {
  for (let i = 0; i < 100; i++) {
    const [knock] = await readKnocks(doc);
    if (knock) return knock;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no knock');
}

describe('lobby answer with scope keys', () => {
  it('hands over exactly the granted scope keys, each wrapped for the knocking device', async () => {
    const [hostDoc, guestDoc] = linked();
    const lobby = newRoomSecret();
    const guest = await generateDeviceIdentity();
    const secret = newRoomSecret();
    const finance = newRoomSecret();
    const caseId = newId();
    const participantId = newId();
    const waiting = knockAndWait(guestDoc, lobby.roomId, guest, { name: 'Herr Wolff', role: 'partner', organisation: '' }, new AbortController().signal);
    const knock = await firstKnock(hostDoc);
    expect(knock.fingerprint).toBe(await fingerprint(guest.publicKeys));
    await admit(hostDoc, lobby.roomId, knock, { caseId, participantId, secret, scopes: { 'topic:finanzen': finance } });
    const admission = await waiting;
    expect(admission.secret).toEqual(secret);
    expect(admission.scopes).toEqual({ 'topic:finanzen': finance });
    // Nothing of the keys is readable in the lobby document.
    const wire = new TextDecoder('latin1').decode(Y.encodeStateAsUpdate(hostDoc));
    expect(wire).not.toContain(finance.key);
    expect(wire).not.toContain(secret.key);
  });

  it('ends its wait once: an abort after the admission (the join flow cleaning up) removes nothing twice', async () => {
    const [hostDoc, guestDoc] = linked();
    const lobby = newRoomSecret();
    const guest = await generateDeviceIdentity();
    const controller = new AbortController();
    const waiting = knockAndWait(guestDoc, lobby.roomId, guest, { name: 'Jonas', role: 'klient', organisation: '' }, controller.signal);
    await admit(hostDoc, lobby.roomId, await firstKnock(hostDoc), { caseId: newId(), participantId: newId(), secret: newRoomSecret(), scopes: {} });
    await waiting;
    // Yjs reports removing an observer that is not there on the console.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      controller.abort();
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('an answer from a host without scopes admits to the shared scope only', async () => {
    const [hostDoc, guestDoc] = linked();
    const lobby = newRoomSecret();
    const guest = await generateDeviceIdentity();
    const waiting = knockAndWait(guestDoc, lobby.roomId, guest, { name: 'Jonas', role: 'klient', organisation: '' }, new AbortController().signal);
    const knock = await firstKnock(hostDoc);
    await admit(hostDoc, lobby.roomId, knock, { caseId: newId(), participantId: newId(), secret: newRoomSecret() });
    expect((await waiting).scopes).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { onlyRoots, touchesOnly } from '../../../src/sync/keyringOnly.ts';
import { MESSAGE_SYNC } from '../../../src/sync/syncMessage.ts';

const KEEP = ['keyring', 'scopeGrants'];

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function peerWithCase(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('keyring').set('1', { epoch: 1 });
  doc.getMap('goals').set('g1', 'Ziel');
  return doc;
}

describe('a beacon takes in the keyring and grants only', () => {
  it('lets a keyring-only state through, and a later keyring change', () => {
    const host = new Y.Doc();
    host.getMap('keyring').set('1', { epoch: 1 });
    const beacon = new Y.Doc();
    expect(touchesOnly(beacon, Y.encodeStateAsUpdate(host), KEEP)).toBe(true);
    Y.applyUpdate(beacon, Y.encodeStateAsUpdate(host));
    const before = Y.encodeStateVector(host);
    host.getMap('scopeGrants').set('finanzen', { at: 1 });
    expect(touchesOnly(beacon, Y.encodeStateAsUpdate(host, before), KEEP)).toBe(true);
  });

  it('refuses a full peer’s state with case content, though it holds keyring entries too', () => {
    expect(touchesOnly(new Y.Doc(), Y.encodeStateAsUpdate(peerWithCase()), KEEP)).toBe(false);
  });

  it('refuses a single case edit that names no root type (it refers to the case’s items)', () => {
    const peer = peerWithCase();
    const text = peer.getText('ausgangslage');
    text.insert(0, 'Anfang');
    const before = Y.encodeStateVector(peer);
    text.insert(6, ' und mehr');
    const edit = Y.encodeStateAsUpdate(peer, before);
    expect(touchesOnly(new Y.Doc(), edit, KEEP)).toBe(false);
  });

  it('leaves the beacon’s own document as it was', () => {
    const beacon = new Y.Doc();
    touchesOnly(beacon, Y.encodeStateAsUpdate(peerWithCase()), KEEP);
    expect([...beacon.share.keys()]).toEqual([]);
  });

  it('filters y-webrtc messages: step 1 passes, step 2 and updates by content, garbage never', () => {
    const beacon = new Y.Doc();
    const filter = onlyRoots(beacon, KEEP);
    const peer = peerWithCase();
    expect(filter(message((e) => syncProtocol.writeSyncStep1(e, peer)))).toBe(true);
    expect(filter(message((e) => syncProtocol.writeSyncStep2(e, peer)))).toBe(false);
    expect(filter(message((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(peer))))).toBe(false);
    const host = new Y.Doc();
    host.getMap('keyring').set('2', { epoch: 2 });
    expect(filter(message((e) => syncProtocol.writeSyncStep2(e, host)))).toBe(true);
    expect(filter(message((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(host))))).toBe(true);
    expect(filter(Uint8Array.of(MESSAGE_SYNC, syncProtocol.messageYjsUpdate, 200))).toBe(false);
    // Awareness (message type 1) is not the beacon's business here.
    expect(filter(Uint8Array.of(1, 0))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  adoptFromBeacon,
  followRotation,
  mirrorToBeacon,
  newerGrant,
  rotate,
  sign,
  signedByHost,
} from '../../../src/app/rotation.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { readKeyring, writeKeyringEntry, type KeyringEntry } from '../../../src/case/keyring.ts';
import { fingerprint, generateDeviceIdentity } from '../../../src/crypto/identity.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';
import type { Participant } from '../../../src/domain/participants.ts';
import type { Role } from '../../../src/domain/roles.ts';

async function device() {
  const identity = await generateDeviceIdentity();
  return { identity, fingerprint: await fingerprint(identity.publicKeys) };
}
type Device = Awaited<ReturnType<typeof device>>;

function seat(c: CaseDocument, name: string, role: Role, d: Device): string {
  return c.add('participants', {
    fields: { name, role, organisation: '', signKey: d.identity.publicKeys.sign, agreeKey: d.identity.publicKeys.agree, fingerprint: d.fingerprint },
  });
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/**
 * A table with two hosts (the case manager and the one the case was just handed over to, both
 * `fallmanager`: an incoming case manager hosts only after the transfer), a client and a partner.
 */
async function table() {
  const fm = await device();
  const nf = await device();
  const client = await device();
  const partner = await device();
  const a = new CaseDocument(new Y.Doc());
  const ids = {
    fm: seat(a, 'Frau Aydin', 'fallmanager', fm),
    nf: seat(a, 'Herr Roth', 'fallmanager', nf),
    client: seat(a, 'Jonas', 'klient', client),
    partner: seat(a, 'Herr Wolff', 'partner', partner),
  };
  const b = new CaseDocument(new Y.Doc());
  exchange(a.doc, b.doc);
  return { fm, nf, client, partner, a, b, ids };
}

const others = (c: CaseDocument, ...without: string[]): Participant[] =>
  c.view().participants.filter((p) => !without.includes(p.id));

describe('two hosts rotating at once', () => {
  it('converge on one entry per epoch; the host whose entry lost follows the winner', async () => {
    const t = await table();
    // Both hosts remove someone at the same moment, each in its own copy.
    const ra = await rotate(t.a.doc, 1, others(t.a, t.ids.partner), [t.ids.partner], t.fm);
    const rb = await rotate(t.b.doc, 1, others(t.b, t.ids.partner), [t.ids.partner], t.nf);
    exchange(t.a.doc, t.b.doc);

    const [inA] = readKeyring(t.a.doc);
    const [inB] = readKeyring(t.b.doc);
    expect(inA).toEqual(inB);
    const winner = inA!.roomId === ra.secret.roomId ? ra : rb;
    const loser = winner === ra ? { r: rb, host: t.nf, doc: t.b.doc } : { r: ra, host: t.fm, doc: t.a.doc };
    const winnerHost = winner === ra ? t.fm : t.nf;

    // The loser notices: same epoch, another room. It moves to the winner's room.
    const outcome = await followRotation(loser.doc, { epoch: 1, roomId: loser.r.secret.roomId }, loser.host.identity, loser.host.fingerprint);
    expect(outcome).toEqual({ kind: 'moved', epoch: 1, secret: winner.secret });
    // The winner stays; the client follows the winner from either copy; the partner is out.
    expect(await followRotation(t.a.doc, { epoch: 1, roomId: winner.secret.roomId }, winnerHost.identity, winnerHost.fingerprint)).toBeNull();
    expect(await followRotation(t.b.doc, { epoch: 0, roomId: 'old' }, t.client.identity, t.client.fingerprint)).toEqual({
      kind: 'moved',
      epoch: 1,
      secret: winner.secret,
    });
    expect(await followRotation(t.a.doc, { epoch: 0, roomId: 'old' }, t.partner.identity, t.partner.fingerprint)).toEqual({
      kind: 'removed',
      epoch: 1,
    });
  });

  it("meet through the old room's beacons when they already sat in separate rooms", async () => {
    const t = await table();
    await rotate(t.a.doc, 1, others(t.a, t.ids.partner), [t.ids.partner], t.fm);
    await rotate(t.b.doc, 1, others(t.b, t.ids.client), [t.ids.client], t.nf);
    // Each host's beacon in the old room, then the two beacons sync there.
    const beaconA = new Y.Doc();
    const beaconB = new Y.Doc();
    mirrorToBeacon(t.a.doc, beaconA);
    mirrorToBeacon(t.b.doc, beaconB);
    exchange(beaconA, beaconB);
    const trustA = (e: { by?: string; sig?: string }) => signedByHost(e, t.a.view().participants);
    const trustB = (e: { by?: string; sig?: string }) => signedByHost(e, t.b.view().participants);
    await adoptFromBeacon(beaconA, t.a.doc, trustA);
    await adoptFromBeacon(beaconB, t.b.doc, trustB);
    // Both case documents now name the same room for epoch 1, without ever having met.
    expect(readKeyring(t.a.doc)[0]!.roomId).toBe(readKeyring(t.b.doc)[0]!.roomId);
    expect(readKeyring(t.a.doc)[0]!.roomId).toBe(readKeyring(beaconA)[0]!.roomId);
    // Mirroring again changes nothing in the beacon: once set, an epoch's entry stays.
    const before = Y.encodeStateVector(beaconA);
    mirrorToBeacon(t.a.doc, beaconA);
    expect(Y.encodeStateVector(beaconA)).toEqual(before);
  });
});

describe('signed keyring entries', () => {
  it('a removed participant cannot forge an entry that moves anyone', async () => {
    const t = await table();
    const { entry } = await rotate(t.a.doc, 1, others(t.a), [], t.fm);
    expect(await signedByHost(entry, t.a.view().participants)).toBe(true);
    // Tampered: another room, same signature.
    const tampered: KeyringEntry = { ...entry, roomId: newRoomSecret().roomId };
    expect(await signedByHost(tampered, t.a.view().participants)).toBe(false);
    // Signed by a partner's own key: not a host.
    const forged = await sign({ ...entry, epoch: 2, roomId: newRoomSecret().roomId }, t.partner);
    expect(await signedByHost(forged, t.a.view().participants)).toBe(false);
    // Signed by a host who was removed from the table since.
    t.a.update('participants', t.ids.nf, { removedAt: Date.now() });
    const byRemovedHost = await sign({ ...entry, epoch: 2 }, t.nf);
    expect(await signedByHost(byRemovedHost, t.a.view().participants)).toBe(false);

    // Arriving in a beacon, the forged entry is ignored: the real one is followed.
    const beacon = new Y.Doc();
    writeKeyringEntry(beacon, entry);
    writeKeyringEntry(beacon, forged);
    const trust = (e: { by?: string; sig?: string }) => signedByHost(e, t.a.view().participants);
    const outcome = await followRotation(beacon, { epoch: 0, roomId: 'old' }, t.client.identity, t.client.fingerprint, t.a.doc, trust);
    expect(outcome).toMatchObject({ kind: 'moved', epoch: 1, secret: { roomId: entry.roomId } });
    await adoptFromBeacon(beacon, t.b.doc, trust);
    expect(readKeyring(t.b.doc).map((e) => e.epoch)).toEqual([1]);
  });

  it('the newer grant wins, and every copy agrees on ties', () => {
    const g = (roomId: string, at: number) => ({ v: 1 as const, scope: 'confidential', roomId, at, keys: {} });
    expect(newerGrant(g('b', 2), g('a', 1))).toBe(true);
    expect(newerGrant(g('a', 1), g('b', 2))).toBe(false);
    expect(newerGrant(g('a', 1), g('b', 1))).toBe(true);
    expect(newerGrant(g('b', 1), g('a', 1))).toBe(false);
    expect(newerGrant(g('a', 1), g('a', 1))).toBe(false);
  });
});

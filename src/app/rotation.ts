import type * as Y from 'yjs';
import { readGrants, writeGrant, type ScopeGrant } from '../case/grants.ts';
import { acknowledge, acknowledged, readKeyring, rotationContext, writeKeyringEntry, type KeyringEntry } from '../case/keyring.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { canonicalJson } from '../crypto/canonical.ts';
import { signBytes, verifyBytes, type DeviceIdentity } from '../crypto/identity.ts';
import { RoomSecret, newRoomSecret } from '../crypto/roomSecret.ts';
import { unwrapSecret, wrapSecret } from '../crypto/wrap.ts';
import type { Participant } from '../domain/participants.ts';
import type { Role } from '../domain/roles.ts';

/**
 * Roles that host a table: only their signatures move anyone to another room. The incoming
 * case manager (`nachfolge`) is not one: she becomes `fallmanager` when the case is handed
 * over to her (src/app/handover.ts), not before.
 */
export const HOST_ROLES: readonly Role[] = ['fallmanager'];

/** This device as a signer of keyring entries and grants. */
export interface Signer {
  identity: DeviceIdentity;
  fingerprint: string;
}

type Signable = { by?: string | undefined; sig?: string | undefined };

function signedBytes(entry: Signable): Uint8Array {
  const { sig: _sig, ...rest } = entry;
  return new TextEncoder().encode(canonicalJson(rest));
}

/** The entry with this device as signer and its signature over everything else. */
export async function sign<T extends Signable>(entry: T, signer: Signer): Promise<T> {
  const { sig: _sig, ...rest } = entry;
  const unsigned = { ...rest, by: signer.fingerprint } as T;
  return { ...unsigned, sig: await signBytes(signer.identity, signedBytes(unsigned)) };
}

/**
 * True if a host still at the table (as `participants` here know them) signed the entry.
 * A removed participant cannot forge one, though it knows everyone's public keys.
 */
export async function signedByHost(entry: Signable, participants: readonly Participant[]): Promise<boolean> {
  if (!entry.by || !entry.sig) return false;
  const signer = participants.find((p) => p.fingerprint === entry.by && !p.removedAt && HOST_ROLES.includes(p.role) && p.signKey);
  return signer ? verifyBytes(signer.signKey!, signedBytes(entry), entry.sig) : false;
}

/** Writes a new epoch: a fresh room key wrapped for each remaining device. */
export async function rotate(
  doc: Y.Doc,
  epoch: number,
  remaining: readonly Participant[],
  removed: readonly string[],
  signer?: Signer,
): Promise<{ secret: RoomSecret; entry: KeyringEntry }> {
  const secret = newRoomSecret();
  const keys: KeyringEntry['keys'] = {};
  for (const p of remaining) {
    if (!p.agreeKey || !p.fingerprint) continue;
    keys[p.fingerprint] = await wrapSecret(p.agreeKey, fromBase64Url(secret.key), rotationContext(secret.roomId, p.fingerprint));
  }
  let entry: KeyringEntry = { v: 1, epoch, roomId: secret.roomId, at: Date.now(), removed: [...removed], keys };
  if (signer) entry = await sign(entry, signer);
  writeKeyringEntry(doc, entry);
  return { secret, entry };
}

export type RotationOutcome = { kind: 'moved'; secret: RoomSecret; epoch: number } | { kind: 'removed'; epoch: number };

/** The room a device is in: its epoch and room id. */
export interface KnownRoom {
  epoch: number;
  roomId: string;
}

/**
 * Whether the keyring moves a device on from `known`: a newer epoch, or the same epoch with
 * another room (two hosts rotated at once; the keyring keeps one entry per epoch, and the
 * host whose entry lost follows the winner like everyone else).
 */
export function pendingRotation(keyring: readonly KeyringEntry[], known: KnownRoom): KeyringEntry | null {
  const latest = keyring.at(-1);
  if (!latest || latest.epoch < known.epoch) return null;
  if (latest.epoch === known.epoch && latest.roomId === known.roomId) return null;
  return latest;
}

/**
 * What the keyring of `source` means for this device: move to the new room (the key was
 * wrapped for it; an acknowledgement is written to `ackDoc`), or it was removed. `source` is
 * the case document, or a probe's keyring-only document from the old room (rekeyBeacon.ts).
 */
export async function followRotation(
  source: Y.Doc,
  known: KnownRoom,
  identity: DeviceIdentity,
  fingerprint: string,
  ackDoc: Y.Doc = source,
  trust: (entry: KeyringEntry) => Promise<boolean> = async () => true,
): Promise<RotationOutcome | null> {
  // The newest entry this device trusts; a forged newer one must not hide a real one.
  const keyring = readKeyring(source);
  let latest: KeyringEntry | null = null;
  for (let i = keyring.length; i > 0 && !latest; i--) {
    const candidate = pendingRotation(keyring.slice(0, i), known);
    if (!candidate) break;
    if (await trust(candidate)) latest = candidate;
  }
  if (!latest) return null;
  const wrapped = latest.keys[fingerprint];
  if (!wrapped) return { kind: 'removed', epoch: latest.epoch };
  const key = await unwrapSecret(identity, wrapped, rotationContext(latest.roomId, fingerprint));
  acknowledge(ackDoc, latest.epoch, fingerprint);
  return { kind: 'moved', secret: RoomSecret.parse({ roomId: latest.roomId, key: toBase64Url(key) }), epoch: latest.epoch };
}

// --- beacons: the keyring and the grants, and nothing else, in an old room -----------------

/**
 * Case document → beacon. A keyring entry is copied only into an epoch the beacon does not
 * have yet: once set there it stays, so two hosts that rotated at once in separate rooms meet
 * in the old room's beacon and both see the same winner (Yjs picks one per key). A grant is
 * copied when it is newer (see `newerGrant`).
 */
export function mirrorToBeacon(caseDoc: Y.Doc, beacon: Y.Doc): void {
  const inBeacon = new Map(readKeyring(beacon).map((e) => [e.epoch, e]));
  for (const entry of readKeyring(caseDoc)) if (!inBeacon.has(entry.epoch)) writeKeyringEntry(beacon, entry);
  copyNewerGrants(caseDoc, beacon);
}

/**
 * Beacon → case document (hosts only): where the beacon's entry for an epoch differs from
 * the case document's, the beacon's wins and is written here, so this host's room follows it.
 */
export async function adoptFromBeacon(
  beacon: Y.Doc,
  caseDoc: Y.Doc,
  trust: (entry: Signable) => Promise<boolean>,
): Promise<void> {
  const inCase = new Map(readKeyring(caseDoc).map((e) => [e.epoch, e]));
  for (const entry of readKeyring(beacon)) {
    if (inCase.get(entry.epoch)?.roomId !== entry.roomId && (await trust(entry))) writeKeyringEntry(caseDoc, entry);
  }
  const existing = readGrants(caseDoc);
  for (const [scope, grant] of readGrants(beacon)) {
    if (newerGrant(grant, existing.get(scope)) && (await trust(grant))) writeGrant(caseDoc, grant);
  }
}

/** The later grant wins; at the same moment the smaller room id, so every copy agrees. */
export function newerGrant(a: ScopeGrant, b: ScopeGrant | undefined): boolean {
  if (!b) return true;
  if (a.roomId === b.roomId) return false;
  return a.at > b.at || (a.at === b.at && a.roomId < b.roomId);
}

function copyNewerGrants(from: Y.Doc, to: Y.Doc): void {
  const existing = readGrants(to);
  for (const [scope, grant] of readGrants(from)) if (newerGrant(grant, existing.get(scope))) writeGrant(to, grant);
}

/** Resolves once every expected device acknowledged `epoch`, or after `timeoutMs`. */
export function awaitAcknowledgements(doc: Y.Doc, epoch: number, expected: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      doc.off('update', check);
      clearTimeout(timer);
      resolve();
    };
    const check = () => {
      const acks = acknowledged(doc, epoch);
      if (expected.every((fp) => acks.has(fp))) done();
    };
    // A device that went away mid-switch must not hold the table hostage.
    const timer = setTimeout(done, timeoutMs);
    doc.on('update', check);
    check();
  });
}

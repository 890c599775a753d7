import type * as Y from 'yjs';
import { acknowledge, acknowledged, readKeyring, rotationContext, writeKeyringEntry, type KeyringEntry } from '../case/keyring.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import type { DeviceIdentity } from '../crypto/identity.ts';
import { RoomSecret, newRoomSecret } from '../crypto/roomSecret.ts';
import { unwrapSecret, wrapSecret } from '../crypto/wrap.ts';
import type { Participant } from '../domain/participants.ts';

/** Writes a new epoch: a fresh room key wrapped for each remaining device. */
export async function rotate(
  doc: Y.Doc,
  epoch: number,
  remaining: readonly Participant[],
  removed: readonly string[],
): Promise<{ secret: RoomSecret; entry: KeyringEntry }> {
  const secret = newRoomSecret();
  const keys: KeyringEntry['keys'] = {};
  for (const p of remaining) {
    if (!p.agreeKey || !p.fingerprint) continue;
    keys[p.fingerprint] = await wrapSecret(p.agreeKey, fromBase64Url(secret.key), rotationContext(secret.roomId, p.fingerprint));
  }
  const entry: KeyringEntry = { v: 1, epoch, roomId: secret.roomId, at: Date.now(), removed: [...removed], keys };
  writeKeyringEntry(doc, entry);
  return { secret, entry };
}

export type RotationOutcome = { kind: 'moved'; secret: RoomSecret; epoch: number } | { kind: 'removed'; epoch: number };

/**
 * What the newest keyring entry beyond `knownEpoch` means for this device: move to the new
 * room (the key was wrapped for it; an acknowledgement is written), or it was removed.
 */
export async function followRotation(
  doc: Y.Doc,
  knownEpoch: number,
  identity: DeviceIdentity,
  fingerprint: string,
): Promise<RotationOutcome | null> {
  const latest = readKeyring(doc).at(-1);
  if (!latest || latest.epoch <= knownEpoch) return null;
  const wrapped = latest.keys[fingerprint];
  if (!wrapped) return { kind: 'removed', epoch: latest.epoch };
  const key = await unwrapSecret(identity, wrapped, rotationContext(latest.roomId, fingerprint));
  acknowledge(doc, latest.epoch, fingerprint);
  return { kind: 'moved', secret: RoomSecret.parse({ roomId: latest.roomId, key: toBase64Url(key) }), epoch: latest.epoch };
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

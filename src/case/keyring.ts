import type * as Y from 'yjs';
import { z } from 'zod';
import { RoomSecret } from '../crypto/roomSecret.ts';
import { WrappedSecret } from '../crypto/wrap.ts';
import { Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import { LOCAL_EDIT } from './origin.ts';
import { rootMap } from './layout.ts';

/**
 * A key rotation: after someone is removed, the case moves to a fresh room whose key is
 * wrapped for each remaining device. The entry travels in the case document itself, so
 * every device still at the table learns it; the removed one finds no key for itself.
 */
export const KeyringEntry = z.object({
  v: z.literal(1),
  epoch: z.number().int().positive(),
  roomId: RoomSecret.shape.roomId,
  at: Timestamp,
  removed: z.array(EntityId).max(100),
  /** device fingerprint → the new room key, wrapped for that device */
  keys: z.record(z.string().max(100), WrappedSecret),
  /**
   * The writing host's device fingerprint and its signature over the rest of the entry
   * (signing.ts). Required where an entry arrives from outside the current room (a beacon):
   * there a removed participant could otherwise forge one.
   */
  by: z.string().max(100).optional(),
  sig: z.string().max(200).optional(),
});
export type KeyringEntry = z.infer<typeof KeyringEntry>;

/** Valid entries, newest last. Malformed ones are ignored: they can grant nothing. */
export function readKeyring(doc: Y.Doc): KeyringEntry[] {
  const out: KeyringEntry[] = [];
  rootMap(doc, 'keyring').forEach((value, key) => {
    const parsed = KeyringEntry.safeParse(value);
    if (parsed.success && String(parsed.data.epoch) === key) out.push(parsed.data);
  });
  return out.sort((a, b) => a.epoch - b.epoch);
}

export function writeKeyringEntry(doc: Y.Doc, entry: KeyringEntry): void {
  const valid = KeyringEntry.parse(entry);
  doc.transact(() => rootMap(doc, 'keyring').set(String(valid.epoch), valid), LOCAL_EDIT);
}

export function acknowledge(doc: Y.Doc, epoch: number, fingerprint: string): void {
  doc.transact(() => rootMap(doc, 'keyringAcks').set(`${epoch}:${fingerprint}`, Date.now()), LOCAL_EDIT);
}

export function acknowledged(doc: Y.Doc, epoch: number): Set<string> {
  const out = new Set<string>();
  rootMap(doc, 'keyringAcks').forEach((_value, key) => {
    const [e, ...rest] = key.split(':');
    if (e === String(epoch)) out.add(rest.join(':'));
  });
  return out;
}

/** Binds a wrapped room key to its room and device. */
export function rotationContext(roomId: string, fingerprint: string): string {
  return `runder-tisch/rotation/v1/${roomId}/${fingerprint}`;
}

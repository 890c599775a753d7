import { z } from 'zod';
import { Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import type { RunderTischDb } from './db.ts';
import { appendLocalRecords, localDocKey, readLocalRecords } from './localRecords.ts';

/**
 * The signing key of every participant as this device first learnt it ("pinned"). Signatures
 * of agreed versions are checked against these, not only against the keys in the shared
 * document: whoever holds the room key can rewrite the document's keys together with all
 * signatures, but cannot change what this device remembers.
 *
 * Sources: `admission` is the key this device (as host) received directly from the admitted
 * device in the lobby, so it is authoritative and wins over a pin learnt from the document;
 * `seen` is trust on first use, the key the shared document named when this device first
 * looked. Within a source the oldest pin wins, so a later different key never replaces it.
 */

export const PinSource = z.enum(['seen', 'admission']);
export type PinSource = z.infer<typeof PinSource>;

const SignKey = z.string().min(60).max(300);

export const PinRecord = z.object({
  v: z.literal(1),
  participantId: EntityId,
  signKey: SignKey,
  source: PinSource,
  at: Timestamp,
});
export type PinRecord = z.infer<typeof PinRecord>;

export interface KeyToPin {
  participantId: string;
  signKey: string;
}

function effective(records: readonly unknown[]): Map<string, PinRecord> {
  const out = new Map<string, PinRecord>();
  for (const value of records) {
    const parsed = PinRecord.safeParse(value);
    if (!parsed.success) continue;
    const pin = parsed.data;
    const earlier = out.get(pin.participantId);
    if (!earlier || (earlier.source === 'seen' && pin.source === 'admission')) out.set(pin.participantId, pin);
  }
  return out;
}

/** The pinned key of each participant of the case, by participant id. */
export async function loadPins(db: RunderTischDb, caseId: string): Promise<Map<string, PinRecord>> {
  return effective(await readLocalRecords(db, localDocKey(caseId, 'pins')));
}

/**
 * Pins the keys of `keys` that have no pin of this source's strength yet; returns the
 * effective pins afterwards. Keys already pinned differently are left as they are (the caller
 * compares and flags "Schlüssel geändert").
 */
export async function pinKeys(
  db: RunderTischDb,
  caseId: string,
  keys: readonly KeyToPin[],
  source: PinSource = 'seen',
  now = Date.now(),
): Promise<Map<string, PinRecord>> {
  const pins = await loadPins(db, caseId);
  const fresh: PinRecord[] = [];
  const added = new Set<string>();
  for (const key of keys) {
    if (!SignKey.safeParse(key.signKey).success || !EntityId.safeParse(key.participantId).success) continue;
    const existing = pins.get(key.participantId);
    const needed = source === 'admission' ? existing?.source !== 'admission' : existing === undefined;
    if (!needed || added.has(key.participantId)) continue;
    added.add(key.participantId);
    fresh.push(PinRecord.parse({ v: 1, participantId: key.participantId, signKey: key.signKey, source, at: now }));
  }
  if (fresh.length === 0) return pins;
  await appendLocalRecords(db, localDocKey(caseId, 'pins'), fresh);
  // Read back: another tab may have pinned first, and the oldest pin wins.
  return loadPins(db, caseId);
}

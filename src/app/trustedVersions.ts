import type { CaseDocument } from '../case/caseDocument.ts';
import { republishFrozen, type VersionsState } from '../case/versions.ts';
import type { Participant } from '../domain/participants.ts';
import type { FrozenVersion } from '../domain/versions.ts';
import { appDb, type RunderTischDb } from '../storage/db.ts';
import { keepVersions } from '../storage/frozenVersions.ts';
import { pinKeys } from '../storage/pinnedKeys.ts';
import { verifyVersion, type VersionCheck } from './agreement.ts';

/**
 * What this device shows as the agreed versions. The shared document is not the last word:
 * keys are checked against the ones this device pinned, and every frozen version that
 * verified once is kept in this device's own storage. If the shared entry is later altered,
 * damaged or removed (a peer holding the room key can do that on every device), the kept copy
 * is shown instead, with a warning, and can be put back with one click. An altered frozen
 * entry is never accepted silently.
 */

export interface ShownVersion {
  number: number;
  /** The version shown: the shared entry, or this device's kept copy if that was altered. */
  version: FrozenVersion;
  check: VersionCheck;
  source: 'shared' | 'kept';
  /** The shared entry differs from the copy this device verified (altered, damaged or removed). */
  altered: boolean;
}

export interface TrustedVersions {
  /** By number, ascending. */
  versions: ShownVersion[];
  /** Numbers whose shared entry is damaged and of which this device kept no copy. */
  damaged: number[];
  /** Pinned signing key by participant id. */
  pins: Map<string, string>;
  /** Participants whose key in the shared document differs from the pinned one. */
  keyChanged: string[];
  /** Local storage could not be used (e.g. the device is locked): nothing was pinned or kept. */
  storageFailed: boolean;
}

/**
 * Pins keys learnt from `participants` (trust on first use), verifies every shared frozen
 * version against the pins, keeps the ones that verify, and decides per number what to show.
 */
export async function trustedVersions(
  caseId: string,
  state: Pick<VersionsState, 'frozen' | 'damaged'>,
  participants: readonly Participant[],
  db: RunderTischDb = appDb(),
): Promise<TrustedVersions> {
  let storageFailed = false;
  let pins = new Map<string, string>();
  try {
    const keys = participants.flatMap((p) => (p.signKey ? [{ participantId: p.id, signKey: p.signKey }] : []));
    const records = await pinKeys(db, caseId, keys);
    pins = new Map([...records].map(([id, r]) => [id, r.signKey]));
  } catch {
    storageFailed = true;
  }
  const sharedChecks = new Map<number, VersionCheck>();
  for (const f of state.frozen) sharedChecks.set(f.number, await verifyVersion(f, participants, pins));
  let kept = new Map<number, FrozenVersion>();
  if (!storageFailed) {
    try {
      kept = await keepVersions(db, caseId, state.frozen.filter((f) => sharedChecks.get(f.number)?.ok));
    } catch {
      storageFailed = true;
    }
  }
  const shared = new Map(state.frozen.map((f) => [f.number, f]));
  const numbers = [...new Set([...shared.keys(), ...kept.keys()])].sort((a, b) => a - b);
  const versions: ShownVersion[] = [];
  for (const number of numbers) {
    const s = shared.get(number);
    const k = kept.get(number);
    const sCheck = sharedChecks.get(number);
    // Another valid copy with the same hash (e.g. frozen on two devices at once) is the same agreement.
    if (k && (!s || !sCheck?.ok || s.hash !== k.hash)) {
      versions.push({ number, version: k, check: await verifyVersion(k, participants, pins), source: 'kept', altered: true });
    } else if (s && sCheck) {
      versions.push({ number, version: s, check: sCheck, source: 'shared', altered: false });
    }
  }
  const keyChanged = participants.filter((p) => p.signKey !== undefined && pins.has(p.id) && pins.get(p.id) !== p.signKey).map((p) => p.id);
  return { versions, damaged: state.damaged.filter((n) => !kept.has(n)), pins, keyChanged, storageFailed };
}

/** Puts this device's kept copy back in place of the altered shared entry. */
export function restoreVersion(caseDoc: CaseDocument, shown: ShownVersion): void {
  if (shown.source !== 'kept') throw new Error('only a kept copy can be restored');
  republishFrozen(caseDoc.doc, shown.version);
}

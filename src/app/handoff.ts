import type * as Y from 'yjs';
import type { DocPersistence } from '../storage/docPersistence.ts';
import type { ConferenceRoom } from '../sync/conferenceRoom.ts';

/** A case that is already live (just joined): the case page takes it over instead of reconnecting. */
export interface LiveCase {
  doc: Y.Doc;
  persistence: DocPersistence;
  room: ConferenceRoom;
}

const live = new Map<string, LiveCase>();

export function handOver(caseId: string, value: LiveCase): void {
  live.set(caseId, value);
}

export function takeOver(caseId: string): LiveCase | undefined {
  const value = live.get(caseId);
  live.delete(caseId);
  return value;
}

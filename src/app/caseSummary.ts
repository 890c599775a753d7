import type { CaseView } from '../case/read.ts';
import { sameSummary, summariseCase, type CaseSummary } from '../domain/dashboard.ts';
import { updateCase } from '../storage/caseIndex.ts';
import type { CaseRecord } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import type { CaseSession } from './caseSession.ts';

/**
 * Keeps the case list's summary of an open case fresh (src/domain/dashboard.ts), so the list
 * never opens a case document: the summary is written into the local case record, at most
 * once per WRITE_DELAY_MS while someone edits, only when it says something new, and at once
 * when the case is left. Also notes when this device sat at the table with someone else.
 */
const WRITE_DELAY_MS = 800;

type SummaryListener = (record: CaseRecord) => void;
const listeners = new Set<SummaryListener>();

/**
 * Follows records this module rewrote: the case list, shown right after a case was left,
 * takes the summary written on the way out even when its own read came first.
 */
export function onSummaryWritten(listener: SummaryListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * When the case was closed. The closure record (src/case/closure.ts) is not there yet: until
 * it is, every case counts as active.
 */
function closedAtOf(_session: CaseSession): number | undefined {
  return undefined;
}

export function summaryOf(session: CaseSession, view: CaseView): CaseSummary {
  return summariseCase(view, session.record, closedAtOf(session));
}

async function write(db: RunderTischDb, caseId: string, change: (r: CaseRecord) => CaseRecord): Promise<void> {
  const record = await updateCase(db, caseId, change).catch(() => undefined); // locked: next change tries again
  if (record) listeners.forEach((l) => l(record));
}

/** Starts keeping the summary of `session`'s case; returns the stop, which writes what is pending. */
export function startCaseSummary(db: RunderTischDb, session: CaseSession): () => void {
  const caseId = session.record.id;
  let written = session.record.summary;
  let pending: CaseSummary | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const next = pending;
    pending = null;
    if (!next || sameSummary(next, written)) return;
    written = next;
    void write(db, caseId, (r) => ({ ...r, summary: next }));
  };
  const stopView = session.caseDoc.subscribe((view) => {
    if (stopped) return;
    pending = summaryOf(session, view);
    // The first read writes at once: a case opened for the first time gets its line.
    if (written === undefined) flush();
    else timer ??= setTimeout(flush, WRITE_DELAY_MS);
  });

  // At the table with at least one other device, or a conference started here.
  let stopPeers: (() => void) | null = null;
  let hadRoom = session.record.room !== undefined;
  const noteConference = (): void => void write(db, caseId, (r) => ({ ...r, lastConferenceAt: Date.now() }));
  const stopRoom = session.onRoomChange((room) => {
    stopPeers?.();
    stopPeers = null;
    if (!room) return;
    if (!hadRoom) noteConference();
    hadRoom = true;
    let together = false;
    // Noted when the others arrive and again when the last one leaves: the time shown is
    // the last moment this device was at the table with someone.
    stopPeers = room.subscribe((_, connection) => {
      if (connection.peers > 0 !== together) noteConference();
      together = connection.peers > 0;
    });
  });

  return () => {
    stopped = true;
    stopView();
    stopRoom();
    stopPeers?.();
    flush();
  };
}

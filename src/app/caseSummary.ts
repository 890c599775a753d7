import { isClosedDoc, readClosure } from '../case/closure.ts';
import type { CaseView } from '../case/read.ts';
import { sameSummary, summariseCase, type CaseSummary } from '../domain/dashboard.ts';
import { updateCase } from '../storage/caseIndex.ts';
import type { CaseRecord } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import type { CaseSession } from './caseSession.ts';
import { remember } from './summaryFacts.ts';

/**
 * Keeps the case list's summary of an open case fresh (src/domain/dashboard.ts), so the list
 * never opens a case document: the summary is written into the local case record, at most
 * once per WRITE_DELAY_MS while someone edits, only when it says something new, and at once
 * when the case is left. Also notes when this device sat at the table with someone else.
 */
const WRITE_DELAY_MS = 800;

/** When the case was closed, from the closure record in the shared document. */
function closedAtOf(session: CaseSession): number | undefined {
  const doc = session.caseDoc.doc;
  // An open case costs one map lookup; only a closed one is read in full.
  return isClosedDoc(doc) ? readClosure(doc).closed?.at : undefined;
}

export function summaryOf(session: CaseSession, view: CaseView): CaseSummary {
  return summariseCase(view, session.record, closedAtOf(session));
}

function write(db: RunderTischDb, caseId: string, change: (r: CaseRecord) => CaseRecord): void {
  // Locked or gone: the summary is written again at the next change.
  updateCase(db, caseId, change).catch(() => undefined);
}

/** Starts keeping the summary of `session`'s case; returns the stop, which writes what is pending. */
export function startCaseSummary(db: RunderTischDb, session: CaseSession): () => void {
  const caseId = session.record.id;
  let written = session.record.summary;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Worked out here, not on every change: a keystroke only marks the summary as due.
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    const next = summaryOf(session, session.caseDoc.view());
    if (sameSummary(next, written)) return;
    written = next;
    remember(caseId, { summary: next });
    write(db, caseId, (r) => ({ ...r, summary: next }));
  };
  const stopView = session.caseDoc.subscribe(() => {
    if (stopped) return;
    dirty = true;
    // The first read writes at once: a case opened for the first time gets its line.
    if (written === undefined) flush();
    else timer ??= setTimeout(flush, WRITE_DELAY_MS);
  });

  // At the table with at least one other device, or a conference started here.
  let stopPeers: (() => void) | null = null;
  let hadRoom = session.record.room !== undefined;
  const noteConference = (): void => {
    const at = Date.now();
    remember(caseId, { lastConferenceAt: at });
    write(db, caseId, (r) => ({ ...r, lastConferenceAt: Math.max(at, r.lastConferenceAt ?? 0) }));
  };
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

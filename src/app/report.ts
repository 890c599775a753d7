import * as Y from 'yjs';
import { readAuditDoc } from '../case/audit.ts';
import { readClosure } from '../case/closure.ts';
import { readCase } from '../case/read.ts';
import { fromBase64Url } from '../crypto/encoding.ts';
import { isoDay } from '../domain/dates.ts';
import { buildReport, inReportOrder, type Report, type ReportCaseInput } from '../domain/report.ts';
import { caseNames, checkReport, type CaseNames, type NameFinding } from '../domain/reportNameCheck.ts';
import { SCOPE_IDS, type ScopeId } from '../domain/visibility.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { collectBackup } from './backup.ts';

/**
 * The planning report across every case on this device (issue 7). Cases are read without
 * opening a session: the backup's reader hands over each case's record and the full state of
 * the documents stored here, which are loaded into throwaway Y.Docs, read, and destroyed.
 * Nothing is written: no storage is attached to those docs, no audit entry, no summary.
 */

export interface LocalReport {
  report: Report;
  /** Names found in the report's text: any finding blocks the export. */
  findings: NameFinding[];
  /**
   * Report number → local case, so the person can find the case a finding is in. It stays on
   * this device: the files never hold it.
   */
  cases: { number: number; caseId: string; displayName: string }[];
}

interface ReadCase {
  caseId: string;
  displayName: string;
  input: ReportCaseInput;
  names: CaseNames;
}

/** When each goal's status last changed, from the verified entries of the audit trail. */
async function statusChanges(docs: readonly (readonly [ScopeId, Y.Doc])[]): Promise<Record<string, number>> {
  const at: Record<string, number> = {};
  for (const [scope, doc] of docs) {
    for (const record of await readAuditDoc(doc, scope)) {
      const claim = record.claim;
      // An unverified entry could be anyone's claim: it does not date anything.
      if (!record.verified || !claim || claim.collection !== 'goals' || !claim.fields.includes('status')) continue;
      if (claim.action !== 'changed' && claim.action !== 'created') continue;
      at[claim.entityId] = Math.max(at[claim.entityId] ?? 0, claim.until);
    }
  }
  return at;
}

/** One case as the report needs it, or null when it cannot be read. */
async function readOne(db: RunderTischDb, caseId: string): Promise<ReadCase | null> {
  const payload = await collectBackup(db, [caseId]);
  const entry = payload.cases[0];
  if (!entry) return null;
  const docs: [ScopeId, Y.Doc][] = [];
  try {
    for (const [name, state] of Object.entries(entry.docs)) {
      const scope = SCOPE_IDS.find((s) => s === name);
      if (!scope) continue;
      const doc = new Y.Doc();
      docs.push([scope, doc]);
      Y.applyUpdate(doc, fromBase64Url(state));
    }
    const shared = docs.find(([scope]) => scope === 'shared')?.[1];
    if (!shared) return null;
    const view = readCase(
      shared,
      docs.filter(([scope]) => scope !== 'shared'),
    );
    if (!view.meta) return null;
    const record = entry.record;
    return {
      caseId,
      displayName: record.displayName,
      input: {
        meta: view.meta,
        assessment: view.assessment,
        goals: view.goals,
        steps: view.steps,
        partners: view.partners,
        statusChangedAt: await statusChanges(docs),
        closedAt: readClosure(shared).closed?.at,
      },
      // Removed people and steps count too: a name is a name, also after it left the table.
      names: caseNames({
        meta: view.meta,
        participants: [...view.participants, ...view.removed.participants],
        partners: [...view.partners, ...view.removed.partners],
        steps: [...view.steps, ...view.removed.steps],
        otherNames: [record.displayName, ...(record.me ? [record.me.name] : []), ...record.invites.map((i) => i.name)],
      }),
    };
  } finally {
    for (const [, doc] of docs) doc.destroy();
  }
}

/** Reads every local case (one at a time, to keep memory flat), builds the report, checks it. */
export async function buildLocalReport(db: RunderTischDb, now = Date.now()): Promise<LocalReport> {
  const ids = (await db.cases.toCollection().primaryKeys()) as string[];
  const read: ReadCase[] = [];
  let skipped = 0;
  for (const id of ids) {
    let one: ReadCase | null = null;
    try {
      one = await readOne(db, id);
    } catch (error) {
      // Locked device: nothing can be read, say so instead of reporting every case as skipped.
      if (error instanceof Error && error.name === 'VaultLockedError') throw error;
    }
    if (one) read.push(one);
    else skipped++;
  }
  const ordered = inReportOrder(read.map((r) => ({ ...r, meta: r.input.meta })));
  const report = buildReport(
    ordered.map((r) => r.input),
    now,
    isoDay(new Date(now)),
    skipped,
  );
  return {
    report,
    findings: checkReport(
      report,
      read.map((r) => r.names),
    ),
    cases: ordered.map((r, i) => ({ number: i + 1, caseId: r.caseId, displayName: r.displayName })),
  };
}

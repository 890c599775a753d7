import type { CaseDocument } from '../../case/caseDocument.ts';
import type { AuditRecord } from '../../domain/audit.ts';

/**
 * Follows the audit records `read` returns, re-reading after every change of the case while
 * active. Reads do not overlap: changes during a read cause one more read afterwards.
 */
export function followAudit(
  caseDoc: CaseDocument,
  read: () => Promise<AuditRecord[]>,
  onRecords: (records: AuditRecord[]) => void,
): () => void {
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        const records = await read().catch(() => [] as AuditRecord[]);
        if (!stopped) onRecords(records);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  const unsubscribe = caseDoc.subscribe(() => void run());
  return () => {
    stopped = true;
    unsubscribe();
  };
}

import type * as Y from 'yjs';
import type { CaseSession } from './caseSession.ts';

/**
 * Tells `listener` the Yjs client ids behind each change that arrived from another device
 * (in the shared case document, whose client ids are the ones the room's presence uses). The
 * UI maps them to the people at the table and announces them (src/ui/common/announce.ts).
 * Authors are the clients whose clock advanced; a pure deletion names nobody.
 */
export function onRemoteEdits(session: CaseSession, listener: (authors: number[]) => void): () => void {
  const doc = session.caseDoc.doc;
  const handler = (tr: Y.Transaction) => {
    if (tr.local || tr.changed.size === 0) return;
    const authors: number[] = [];
    for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) < clock) authors.push(client);
    if (authors.length > 0) listener(authors);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}

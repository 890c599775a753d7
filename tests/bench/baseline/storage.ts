import * as Y from 'yjs';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import type { BenchWindow, StoragePage } from '../inpage/api.ts';
import { fromBase64 } from '../inpage/base64.ts';

/**
 * Not a baseline: the app's own storage code (DocPersistence over Dexie) in real IndexedDB,
 * fed a case's history one edit at a time, as a device that was at every session stores it.
 */
const page: StoragePage = {
  async replay(updates) {
    const db = new RunderTischDb('bench-storage');
    const doc = new Y.Doc();
    const docKey = 'bench-case/shared';
    const persistence = await DocPersistence.open(db, docKey, doc);
    try {
      // Typing is far slower than an IndexedDB write: each edit is its own row, as in use.
      for (const update of updates) {
        Y.applyUpdate(doc, fromBase64(update));
        await persistence.whenSaved();
      }
      const rows = await db.updates.where('docKey').equals(docKey).toArray();
      const storedBytes = rows.reduce((sum, row) => sum + ((row as { update?: Uint8Array }).update?.byteLength ?? 0), 0);
      return { rows: rows.length, storedBytes, encodedBytes: Y.encodeStateAsUpdate(doc).byteLength };
    } finally {
      persistence.destroy();
      db.close();
    }
  },
};
(window as unknown as BenchWindow<StoragePage>).__bench = page;

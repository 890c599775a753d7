import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { BenchWindow, IdbPage } from '../inpage/api.ts';
import { fromBase64 } from '../inpage/base64.ts';
import { now } from '../inpage/clock.ts';
import { docCounts, hasAll } from './docCounts.ts';

const page: IdbPage = {
  async store(name, stateBase64) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, fromBase64(stateBase64));
    // y-indexeddb writes the doc's existing state as one row before it reports 'synced'.
    const persistence = new IndexeddbPersistence(name, doc);
    await persistence.whenSynced;
    // destroy() only starts closing: a reload right after it can abort the write. An empty
    // read-write transaction on the same store completes only after that write committed.
    await new Promise<void>((resolve, reject) => {
      const tx = persistence.db!.transaction('updates', 'readwrite');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    await persistence.destroy();
  },
  async open(name, expected) {
    const t0 = now();
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(name, doc);
    await persistence.whenSynced;
    const t1 = now();
    if (!hasAll(doc, expected)) throw new Error(`y-indexeddb loaded too little: ${JSON.stringify(docCounts(doc))}`);
    await persistence.destroy();
    return { t0, t1 };
  },
};
(window as unknown as BenchWindow<IdbPage>).__bench = page;

/**
 * Some browsers refuse IndexedDB in a private window (no `indexedDB`, or `open` fails). The
 * app then still works for the session, on an in-memory IndexedDB (fake-indexeddb, loaded only
 * in that case), and says so on every page: nothing outlives the tab.
 */

export type StorageMode = 'device' | 'memory';

export interface IndexedDbBackend {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

const PROBE_NAME = 'runder-tisch-probe';

/** True if this browser lets the page open (and so keep) an IndexedDB database. */
export async function indexedDbUsable(): Promise<boolean> {
  const factory = (globalThis as { indexedDB?: IDBFactory | null }).indexedDB;
  if (!factory || typeof factory.open !== 'function') return false;
  try {
    return await new Promise<boolean>((resolve) => {
      const request = factory.open(PROBE_NAME);
      request.onsuccess = () => {
        request.result.close();
        resolve(true);
      };
      request.onerror = () => resolve(false);
      request.onblocked = () => resolve(true);
    });
  } catch {
    // Some browsers throw (SecurityError, InvalidStateError) instead of failing the request.
    return false;
  }
}

export async function memoryBackend(): Promise<IndexedDbBackend> {
  const fake = await import('fake-indexeddb');
  return { indexedDB: fake.indexedDB, IDBKeyRange: fake.IDBKeyRange };
}

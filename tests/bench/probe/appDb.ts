import { fromBase64, toBase64 } from '../inpage/base64.ts';

/**
 * Raw IndexedDB access to the app's database (layout: src/storage/db.ts, docs/case-schema.md).
 * Opened without a version, so it joins whatever version the app's Dexie created; the app
 * must have opened it first, which `open` checks instead of creating an empty database.
 */
const DB_NAME = 'runder-tisch';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

async function open(): Promise<IDBDatabase> {
  const db = await request(indexedDB.open(DB_NAME));
  if (!db.objectStoreNames.contains('cases') || !db.objectStoreNames.contains('updates')) {
    db.close();
    throw new Error(`${DB_NAME} has no cases/updates stores: open the app before injecting data`);
  }
  return db;
}

export async function putCases(records: unknown[]): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction('cases', 'readwrite');
    for (const record of records) tx.objectStore('cases').put(record);
    await done(tx);
  } finally {
    db.close();
  }
}

export async function putUpdate(docKey: string, updateBase64: string): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction('updates', 'readwrite');
    tx.objectStore('updates').add({ docKey, update: fromBase64(updateBase64) });
    await done(tx);
  } finally {
    db.close();
  }
}

export async function readUpdates(docKey: string): Promise<string[]> {
  const db = await open();
  try {
    const tx = db.transaction('updates', 'readonly');
    const rows = await request(tx.objectStore('updates').index('docKey').getAll(docKey));
    return (rows as { update: Uint8Array }[]).map((row) => toBase64(row.update));
  } finally {
    db.close();
  }
}

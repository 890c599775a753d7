import Dexie, { type Table } from 'dexie';
import type { CaseRecord } from './caseRecord.ts';
import { Vault, type VaultOptions } from './vault.ts';
import { indexedDbUsable, memoryBackend, type IndexedDbBackend, type StorageMode } from './memoryFallback.ts';

/**
 * One row per Yjs update (or merged batch) of one document; `seq` keeps arrival order.
 * Without a device passphrase the bytes are in `update`; with one they are in `sealed`
 * (IV ‖ AES-GCM ciphertext, see vault.ts). Rows of `<caseId>/local:*` are not Yjs updates but
 * this device's own JSON records of a case (localRecords.ts): stored here so the vault seals them.
 */
export interface UpdateRow {
  seq?: number;
  docKey: string;
  update?: Uint8Array;
  sealed?: Uint8Array;
}

/** A case record encrypted with the device passphrase: only what the list needs to sort stays plain. */
export interface SealedCaseRow {
  id: string;
  updatedAt: number;
  sealed: Uint8Array;
}

export type CaseRow = CaseRecord | SealedCaseRow;

export interface SettingRow {
  key: string;
  value: unknown;
}

export const DB_NAME = 'runder-tisch';

// Dexie turns on its debug mode (async stack tags on every transaction) whenever the page is
// served from localhost or 127.0.0.1, which is how `npm start` and the tests serve the app:
// that made every IndexedDB write markedly slower than on a deployed host.
Dexie.debug = false;

export interface DbOptions {
  vault?: VaultOptions;
  /** Another IndexedDB implementation (the in-memory one when the browser refuses storage). */
  backend?: IndexedDbBackend;
}

export class RunderTischDb extends Dexie {
  cases!: Table<CaseRow, string>;
  updates!: Table<UpdateRow, number>;
  settings!: Table<SettingRow, string>;
  /** The optional device passphrase: every read and write of case data goes through it. */
  readonly vault: Vault;

  constructor(name = DB_NAME, options: DbOptions = {}) {
    super(name, options.backend ? { indexedDB: options.backend.indexedDB, IDBKeyRange: options.backend.IDBKeyRange } : {});
    this.version(1).stores({
      cases: 'id, updatedAt',
      updates: '++seq, docKey',
      settings: 'key',
    });
    this.vault = new Vault(this, options.vault);
  }
}

let shared: RunderTischDb | null = null;
let mode: StorageMode = 'device';

/**
 * Picks where the app's database lives, once, before the app mounts: on the device, or in
 * memory when this browser refuses IndexedDB (memoryFallback.ts).
 */
export async function prepareAppDb(): Promise<StorageMode> {
  if (shared) return mode;
  if (await indexedDbUsable()) {
    shared = new RunderTischDb();
  } else {
    mode = 'memory';
    shared = new RunderTischDb(DB_NAME, { backend: await memoryBackend() });
  }
  return mode;
}

export function storageMode(): StorageMode {
  return mode;
}

/** The app's database; tests pass their own instance instead. */
export function appDb(): RunderTischDb {
  shared ??= new RunderTischDb();
  return shared;
}

import Dexie, { type Table } from 'dexie';
import type { CaseRecord } from './caseRecord.ts';

/** One row per Yjs update (or merged batch) of one document; `seq` keeps arrival order. */
export interface UpdateRow {
  seq?: number;
  docKey: string;
  update: Uint8Array;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export const DB_NAME = 'runder-tisch';

export class RunderTischDb extends Dexie {
  cases!: Table<CaseRecord, string>;
  updates!: Table<UpdateRow, number>;
  settings!: Table<SettingRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      cases: 'id, updatedAt',
      updates: '++seq, docKey',
      settings: 'key',
    });
  }
}

let shared: RunderTischDb | null = null;

/** The app's database; tests pass their own instance instead. */
export function appDb(): RunderTischDb {
  shared ??= new RunderTischDb();
  return shared;
}

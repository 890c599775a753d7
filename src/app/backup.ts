import * as Y from 'yjs';
import { z } from 'zod';
import { utf8 } from '../crypto/bytes.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { decryptFile, encryptFile, FileCryptoError } from '../crypto/fileCrypto.ts';
import { PBKDF2_ITERATIONS } from '../crypto/passphrase.ts';
import { ROOT } from '../case/layout.ts';
import { Timestamp } from '../domain/dates.ts';
import { CaseRecord, scopeDocKey } from '../storage/caseRecord.ts';
import type { CaseRow, RunderTischDb, UpdateRow } from '../storage/db.ts';
import { RETRY, rowSignature } from '../storage/vault.ts';
import { recordBackup } from '../storage/backupSettings.ts';
import { updateCase } from '../storage/caseIndex.ts';

/**
 * Backup and transfer of the local copy. A backup holds, per case, this device's case record
 * and the full Yjs state of the shared document and of every scope document stored here. It
 * is read through the vault's codec, so it works with a device passphrase (while unlocked),
 * and it is written encrypted with a passphrase of its own (crypto/fileCrypto.ts).
 *
 * Import never overwrites: Yjs states are appended to the documents' update logs, which is a
 * CRDT merge when the document is next loaded; an existing case record keeps its own values
 * and only gains what it lacks (scope keys, invites, conference room). Everything is decrypted
 * and validated first, then written in one IndexedDB transaction: a bad file changes nothing.
 */

const PAYLOAD_KIND = 'runder-tisch-faelle';
const DocName = z.string().regex(/^(shared|confidential|topic:[a-z]{1,40})$/);
const B64 = z.string().regex(/^[A-Za-z0-9_-]*$/);

const BackupCase = z.object({
  record: CaseRecord,
  docs: z.record(DocName, B64).refine((docs) => typeof docs['shared'] === 'string', 'missing shared document'),
});

export const BackupPayload = z
  .object({
    kind: z.literal(PAYLOAD_KIND),
    v: z.literal(1),
    exportedAt: Timestamp,
    cases: z.array(BackupCase).max(10_000),
  })
  .refine((p) => new Set(p.cases.map((c) => c.record.id)).size === p.cases.length, 'duplicate case');
export type BackupPayload = z.infer<typeof BackupPayload>;

/** What a failed import tells the person: the kind decides the (German) message. */
export type BackupErrorKind = 'malformed' | 'passphrase' | 'tampered' | 'content' | 'locked' | 'empty';

export class BackupError extends Error {
  override name = 'BackupError';
  readonly kind: BackupErrorKind;
  constructor(kind: BackupErrorKind, detail = '') {
    super(`Backup: ${kind}${detail ? ` (${detail})` : ''}`);
    this.kind = kind;
  }
}

export interface ImportReport {
  merged: number;
  created: number;
}

export interface BackupOptions {
  /** PBKDF2 work factor; only tests lower it. */
  iterations?: number;
  now?: number;
}

/** The Yjs state of every document of `caseId` stored on this device, by document name. */
async function caseDocs(db: RunderTischDb, caseId: string): Promise<Record<string, string>> {
  const codec = await db.vault.codec();
  const prefix = `${caseId}/`;
  const rows = await db.updates.where('docKey').startsWith(prefix).sortBy('seq');
  const byDoc = new Map<string, Uint8Array[]>();
  for (const row of rows) {
    const update = await codec.openUpdate(row.docKey, row);
    if (!update) continue; // unreadable rows stay where they are; the doc shows them as corrupt
    const name = row.docKey.slice(prefix.length);
    if (!DocName.safeParse(name).success) continue;
    byDoc.set(name, [...(byDoc.get(name) ?? []), update]);
  }
  const docs: Record<string, string> = {};
  for (const [name, updates] of byDoc) {
    // Through a doc, not mergeUpdates: one row that does not apply must not spoil the rest.
    const doc = new Y.Doc();
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch {
        // skipped, as DocPersistence skips it when loading
      }
    }
    docs[name] = toBase64Url(Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }
  docs['shared'] ??= toBase64Url(Y.encodeStateAsUpdate(new Y.Doc()));
  return docs;
}

/** Reads the chosen cases (all if `caseIds` is undefined) into a backup payload. */
export async function collectBackup(db: RunderTischDb, caseIds?: readonly string[], now = Date.now()): Promise<BackupPayload> {
  const codec = await db.vault.codec();
  const rows = caseIds ? (await db.cases.bulkGet([...caseIds])).filter((r): r is CaseRow => r !== undefined) : await db.cases.toArray();
  const cases: BackupPayload['cases'] = [];
  for (const row of rows) {
    const record = await codec.openCase(row);
    if (!record) continue;
    cases.push({ record, docs: await caseDocs(db, record.id) });
  }
  return { kind: PAYLOAD_KIND, v: 1, exportedAt: now, cases };
}

/** The encrypted backup file's text; records the time of the backup for the reminder. */
export async function exportBackup(
  db: RunderTischDb,
  passphrase: string,
  caseIds?: readonly string[],
  options: BackupOptions = {},
): Promise<{ text: string; count: number }> {
  const now = options.now ?? Date.now();
  const payload = await collectBackup(db, caseIds, now);
  if (payload.cases.length === 0) throw new BackupError('empty');
  const text = await encryptFile(utf8(JSON.stringify(payload)), passphrase, options.iterations ?? PBKDF2_ITERATIONS);
  await recordBackup(db, now);
  // Per case too: the case list shows when each case was last backed up.
  for (const entry of payload.cases) await updateCase(db, entry.record.id, (r) => ({ ...r, lastBackupAt: now }));
  return { text, count: payload.cases.length };
}

/** Opens and validates a backup file completely, without touching the database. */
export async function readBackup(text: string, passphrase: string): Promise<{ payload: BackupPayload; states: Map<string, Uint8Array> }> {
  let plain: Uint8Array;
  try {
    plain = await decryptFile(text, passphrase);
  } catch (error) {
    if (error instanceof FileCryptoError) throw new BackupError(error.kind);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    throw new BackupError('content', 'not JSON');
  }
  const parsed = BackupPayload.safeParse(json);
  if (!parsed.success) throw new BackupError('content', parsed.error.issues[0]?.message ?? '');
  const states = new Map<string, Uint8Array>();
  for (const entry of parsed.data.cases) {
    for (const [name, encoded] of Object.entries(entry.docs)) {
      let update: Uint8Array;
      const probe = new Y.Doc();
      try {
        update = fromBase64Url(encoded);
        Y.applyUpdate(probe, update);
        // A full state applies completely; leftovers mean bytes that are not one document's state.
        if (probe.store.pendingStructs !== null || probe.store.pendingDs !== null) throw new Error('incomplete');
        const caseId = probe.getMap(ROOT.meta).get('caseId');
        if (caseId !== undefined && caseId !== entry.record.id) throw new Error('belongs to another case');
      } catch {
        throw new BackupError('content', `document ${name}`);
      } finally {
        probe.destroy();
      }
      states.set(scopeDocKey(entry.record.id, name), update);
    }
  }
  return { payload: parsed.data, states };
}

/**
 * The local record with what the backup adds: scope keys and invites it does not have, the
 * conference room if it has none. Local values win, so an import never rolls a device back
 * (for example to the room key before a removal).
 */
export function mergeRecords(local: CaseRecord, incoming: CaseRecord): CaseRecord {
  const invites = [...local.invites];
  for (const invite of incoming.invites) if (!invites.some((i) => i.id === invite.id)) invites.push(invite);
  return {
    ...local,
    birthMonth: local.birthMonth ?? incoming.birthMonth,
    room: local.room ?? incoming.room,
    roomEpoch: local.room ? local.roomEpoch : incoming.roomEpoch,
    me: local.me ?? incoming.me,
    scopes: { ...incoming.scopes, ...local.scopes },
    invites: invites.slice(0, 200),
    updatedAt: Math.max(local.updatedAt, incoming.updatedAt),
  };
}

/** Decrypts, validates and merges a backup file. A bad file throws BackupError and changes nothing. */
export async function importBackup(db: RunderTischDb, text: string, passphrase: string): Promise<ImportReport> {
  const { payload, states } = await readBackup(text, passphrase);
  const ids = payload.cases.map((c) => c.record.id);
  try {
    return await db.vault.guarded(
      [db.cases, db.updates],
      async (codec) => {
        const existing = await db.cases.bulkGet(ids);
        const records: CaseRow[] = [];
        let merged = 0;
        for (const [i, entry] of payload.cases.entries()) {
          const row = existing[i];
          if (row === undefined) {
            records.push(await codec.sealCase(entry.record));
            continue;
          }
          const local = await codec.openCase(row);
          if (!local) throw new BackupError('content', `local record of ${entry.record.id} unreadable`);
          records.push(await codec.sealCase(mergeRecords(local, entry.record)));
          merged++;
        }
        const updates: UpdateRow[] = [];
        for (const [docKey, update] of states) updates.push(await codec.sealUpdate(docKey, update));
        return { before: existing.map((r) => (r === undefined ? '' : rowSignature(r))), records, updates, merged };
      },
      async (prepared) => {
        const now = await db.cases.bulkGet(ids);
        if (now.some((r, i) => (r === undefined ? '' : rowSignature(r)) !== prepared.before[i])) return RETRY;
        await db.cases.bulkPut(prepared.records);
        await db.updates.bulkAdd(prepared.updates);
        return { merged: prepared.merged, created: ids.length - prepared.merged };
      },
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'VaultLockedError') throw new BackupError('locked');
    throw error;
  }
}

import Dexie, { type Table } from 'dexie';
import { z } from 'zod';
import { randomBytes, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { decryptBytes, deriveKey, encryptBytes, PBKDF2_ITERATIONS } from '../crypto/passphrase.ts';
import { CaseRecord } from './caseRecord.ts';
import type { CaseRow, RunderTischDb, UpdateRow } from './db.ts';

/**
 * The optional device passphrase ("Gerätesperre").
 *
 * Without a passphrase, rows are stored as they are. With one, every Yjs update row and every
 * case record is AES-GCM encrypted with a key derived from the passphrase (PBKDF2-SHA256,
 * ≥ 600,000 iterations, random 16-byte salt). The key lives only in memory while the device is
 * unlocked; the settings row keeps `{ salt, iterations, check }`, where `check` is a known
 * value encrypted with the key, to tell a right passphrase from a wrong one without touching
 * any data.
 *
 * Row formats (see db.ts): an update row holds either `update` (plain) or `sealed` (IV ‖
 * ciphertext, AAD = the docKey); a case row is either the plain CaseRecord or
 * `{ id, updatedAt, sealed }` (AAD = "case:" + id), so the list still sorts by `updatedAt`.
 * A row in the format of the other mode is unreadable, not accepted: with a passphrase set,
 * a plaintext row is either a leftover or an injected one.
 *
 * Every write goes through `guarded`: rows are sealed first (WebCrypto is asynchronous, and an
 * IndexedDB transaction commits as soon as it waits for anything else), then written in a
 * read-write transaction that first checks that the vault's `generation` is still the one the
 * rows were sealed for. A passphrase change replaces the generation, so a write sealed with
 * an old key (or in plaintext, by a tab that has not heard of the change yet) can never land
 * next to the re-encrypted data.
 */

export const VAULT_KEY = 'vault';
const SALT_BYTES = 16;
const CHECK_PLAIN = utf8('runder-tisch vault check v1');
const CHECK_AAD = utf8('runder-tisch/vault-check');

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'not bytes');

const VaultRow = z.object({
  v: z.literal(1),
  /** Random, replaced by every passphrase change: writers prove they sealed for the current one. */
  generation: z.string().min(1).max(100),
  lock: z
    .object({ salt: Bytes, iterations: z.number().int().min(1), check: Bytes })
    .optional(),
});
type VaultRow = z.infer<typeof VaultRow>;

/** No passphrase / passphrase set and no key in memory / passphrase set and key in memory. */
export type VaultStatus = 'none' | 'locked' | 'unlocked';
/** What listeners hear; `stale` means another tab changed the passphrase: reload. */
export type VaultEvent = VaultStatus | 'stale';

export class VaultLockedError extends Error {
  override name = 'VaultLockedError';
  constructor() {
    super('The device is locked.');
  }
}

export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('The passphrase is wrong.');
  }
}

/** The vault changed between sealing and writing (another tab, or a passphrase change here). */
export class VaultChangedError extends Error {
  override name = 'VaultChangedError';
  constructor() {
    super('The device passphrase was changed meanwhile.');
  }
}

/** Returned by a `guarded` commit to say "what I prepared is out of date: prepare again". */
export const RETRY: unique symbol = Symbol('retry');

const StoredPlainUpdate = z.object({ seq: z.number().int(), docKey: z.string(), update: Bytes });
const StoredSealedUpdate = z.object({ seq: z.number().int(), docKey: z.string(), sealed: Bytes });
const StoredSealedCase = z.object({ id: z.string(), updatedAt: z.number(), sealed: Bytes });

const updateAad = (docKey: string) => utf8(docKey);
const caseAad = (id: string) => utf8(`case:${id}`);

/** Seals and opens rows for one vault generation: with a key (encrypted) or without (plain). */
export class Codec {
  readonly generation: string;
  readonly #key: CryptoKey | null;

  constructor(generation: string, key: CryptoKey | null) {
    this.generation = generation;
    this.#key = key;
  }

  get encrypted(): boolean {
    return this.#key !== null;
  }

  async sealUpdate(docKey: string, update: Uint8Array): Promise<UpdateRow> {
    if (!this.#key) return { docKey, update };
    return { docKey, sealed: await encryptBytes(this.#key, update, updateAad(docKey)) };
  }

  /** The update bytes of a stored row of `docKey`, or null if the row is unreadable in this mode. */
  async openUpdate(docKey: string, row: unknown): Promise<Uint8Array | null> {
    if (!this.#key) {
      const plain = StoredPlainUpdate.safeParse(row);
      return plain.success && plain.data.docKey === docKey ? plain.data.update : null;
    }
    const sealed = StoredSealedUpdate.safeParse(row);
    if (!sealed.success || sealed.data.docKey !== docKey) return null;
    try {
      return await decryptBytes(this.#key, sealed.data.sealed, updateAad(docKey));
    } catch {
      return null;
    }
  }

  async sealCase(record: CaseRecord): Promise<CaseRow> {
    if (!this.#key) return record;
    const sealed = await encryptBytes(this.#key, utf8(JSON.stringify(record)), caseAad(record.id));
    return { id: record.id, updatedAt: record.updatedAt, sealed };
  }

  /** The validated case record of a stored row, or null if it is unreadable in this mode. */
  async openCase(row: unknown): Promise<CaseRecord | null> {
    if (!this.#key) {
      if (row && typeof row === 'object' && 'sealed' in row) return null;
      const plain = CaseRecord.safeParse(row);
      return plain.success ? plain.data : null;
    }
    const sealed = StoredSealedCase.safeParse(row);
    if (!sealed.success) return null;
    try {
      const json = new TextDecoder().decode(await decryptBytes(this.#key, sealed.data.sealed, caseAad(sealed.data.id)));
      const record = CaseRecord.safeParse(JSON.parse(json));
      return record.success && record.data.id === sealed.data.id ? record.data : null;
    } catch {
      return null;
    }
  }
}

/** A stable text form of a stored row, to notice that it changed between read and write. */
export function rowSignature(row: unknown): string {
  return JSON.stringify(row, (_key, value: unknown) => (value instanceof Uint8Array ? `b:${toBase64Url(value)}` : value));
}

export interface RekeyReport {
  /** Rows (updates and case records) now stored in the new mode. */
  rewritten: number;
  /** Rows that were already unreadable before; they are kept exactly as they were. */
  unreadable: number;
}

export interface VaultOptions {
  /** PBKDF2 work factor for new passphrases. Only tests lower it; the app uses the default. */
  iterations?: number;
}

type Message = { type: 'changed' | 'locked'; from: string };

async function verifies(key: CryptoKey, check: Uint8Array): Promise<boolean> {
  try {
    const plain = await decryptBytes(key, check, CHECK_AAD);
    return plain.length === CHECK_PLAIN.length && plain.every((b, i) => b === CHECK_PLAIN[i]);
  } catch {
    return false;
  }
}

/** Asks the database's own IndexedDB (the device's, or the in-memory one of memoryFallback.ts). */
async function databaseExists(db: Dexie): Promise<boolean> {
  const own = db._options.indexedDB as IDBFactory | undefined;
  const factory = own ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
  if (factory && typeof factory.databases === 'function') {
    return (await factory.databases()).some((info) => info.name === db.name);
  }
  return Dexie.exists(db.name);
}

function newGeneration(): string {
  return toBase64Url(randomBytes(12));
}

/** One per database (`db.vault`). */
export class Vault {
  readonly #db: RunderTischDb;
  readonly #iterations: number;
  readonly #id = newGeneration();
  #loading: Promise<VaultStatus> | null = null;
  #loaded = false;
  #row: VaultRow | undefined = undefined;
  #key: CryptoKey | null = null;
  #changing: Promise<unknown> | null = null;
  #flushers = new Set<() => Promise<void>>();
  #inflight = new Set<Promise<unknown>>();
  #listeners = new Set<(event: VaultEvent) => void>();

  constructor(db: RunderTischDb, options: VaultOptions = {}) {
    this.#db = db;
    this.#iterations = options.iterations ?? PBKDF2_ITERATIONS;
  }

  get #generation(): string {
    return this.#row?.generation ?? '';
  }

  /** Reads the vault settings once; resolves to the status. */
  ready(): Promise<VaultStatus> {
    if (!this.#loading) {
      const loading = this.#readRow().then((row) => {
        this.#row = row;
        this.#loaded = true;
        return this.status;
      });
      this.#loading = loading;
      loading.catch(() => {
        if (this.#loading === loading) this.#loading = null;
      });
    }
    return this.#loading.then(() => this.status);
  }

  /** The status as of the last `ready()`; `locked` before that, which is the safe assumption. */
  get status(): VaultStatus {
    if (!this.#loaded) return 'locked';
    if (!this.#row?.lock) return 'none';
    return this.#key ? 'unlocked' : 'locked';
  }

  get iterations(): number | undefined {
    return this.#row?.lock?.iterations;
  }

  subscribe(listener: (event: VaultEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: VaultEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  async #readRow(): Promise<VaultRow | undefined> {
    // Only looking must not create the database (a visitor with a broken invite link leaves no trace).
    if (!this.#db.isOpen() && !(await databaseExists(this.#db))) return undefined;
    const stored = await this.#db.settings.get(VAULT_KEY);
    if (stored === undefined) return undefined;
    const parsed = VaultRow.safeParse(stored.value);
    // Fail closed: if we cannot tell whether data is encrypted, we must not write plaintext.
    if (!parsed.success) throw new Error('The device lock settings cannot be read.');
    return parsed.data;
  }

  /**
   * Checks the passphrase; on success keeps the key in memory. A wrong one changes nothing.
   * False when no passphrase is set.
   */
  async unlock(passphrase: string): Promise<boolean> {
    await this.ready();
    const lock = this.#row?.lock;
    if (!lock) return false;
    const key = await deriveKey(passphrase, lock.salt, lock.iterations);
    if (!(await verifies(key, lock.check))) return false;
    if (this.#row?.lock !== lock) return false; // changed while we derived
    if (this.#key) return true;
    this.#key = key;
    this.#emit('unlocked');
    return true;
  }

  /**
   * Writes what open documents still hold in memory, waits for running writes, then forgets
   * the key. `everywhere` also locks this device's other tabs. The UI reloads the page
   * afterwards, which is what drops every decrypted value from memory.
   */
  async lock({ everywhere = false }: { everywhere?: boolean } = {}): Promise<void> {
    while (this.#changing) await this.#changing;
    if (!this.#key) return;
    await Promise.allSettled([...this.#flushers].map((flush) => flush()));
    await Promise.allSettled([...this.#inflight]);
    this.#key = null;
    if (everywhere) this.#post('locked');
    this.#emit('locked');
  }

  /** Open documents register how to write what they still hold, so `lock()` loses nothing. */
  registerFlusher(flush: () => Promise<void>): () => void {
    this.#flushers.add(flush);
    return () => this.#flushers.delete(flush);
  }

  /** The codec for reads and writes now; waits for a running passphrase change; throws while locked. */
  async codec(): Promise<Codec> {
    await this.ready();
    while (this.#changing) await this.#changing;
    if (this.#row?.lock && !this.#key) throw new VaultLockedError();
    return new Codec(this.#generation, this.#key);
  }

  /**
   * A write: `prepare` seals rows (outside any transaction), `commit` writes them inside a
   * read-write transaction over `tables` that first checks the vault generation. If this tab
   * changed the passphrase in between, or `commit` returns RETRY, it prepares again.
   */
  guarded<P, T>(
    tables: Table[],
    prepare: (codec: Codec) => Promise<P>,
    commit: (prepared: P) => Promise<T | typeof RETRY>,
  ): Promise<T> {
    const db = this.#db;
    const run = (async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const codec = await this.codec();
        const prepared = await prepare(codec);
        let result: T | typeof RETRY;
        try {
          result = await db.transaction('rw', [db.settings, ...tables], async () => {
            const row = await db.settings.get(VAULT_KEY);
            const generation = VaultRow.safeParse(row?.value).data?.generation ?? (row ? null : '');
            if (generation !== codec.generation) throw new VaultChangedError();
            return commit(prepared);
          });
        } catch (error) {
          if (!(error instanceof VaultChangedError)) throw error;
          if (this.#generation !== codec.generation) continue; // we re-keyed meanwhile: seal again
          this.#changedElsewhere();
          throw error;
        }
        if (result !== RETRY) return result;
      }
      throw new Error('Storage kept changing during the write; please try again.');
    })();
    this.#inflight.add(run);
    void run.catch(() => undefined).finally(() => this.#inflight.delete(run));
    return run;
  }

  /**
   * Sets, changes (`next` a string) or removes (`next` null) the device passphrase. `old` must
   * be the current passphrase if one is set; a wrong one throws WrongPassphraseError before
   * anything is written.
   *
   * Crash safety: all rows are read and re-encrypted in memory first, then written together
   * with the new settings row in ONE read-write transaction over settings, updates and cases.
   * IndexedDB commits a transaction completely or not at all, so a crash, a closed tab or a
   * full disk leaves either the old passphrase with all data in the old form, or the new one
   * with all data in the new form, never a mix. The transaction first checks that nothing was
   * written since the rows were read (same update rows, identical case rows, same vault
   * generation); otherwise it reads again. Writes of this tab wait meanwhile (`codec()` waits
   * for the change), and writes of other tabs fail their generation check afterwards. The cost
   * is that the whole local data set is in memory once during the change, which is fine for
   * case documents (kilobytes to a few megabytes).
   */
  setPassphrase(old: string | undefined, next: string | null): Promise<RekeyReport> {
    if (this.#changing) return Promise.reject(new Error('A passphrase change is already running.'));
    const run = (async () => {
      try {
        return await this.#rekey(old, next);
      } finally {
        this.#changing = null;
      }
    })();
    this.#changing = run.catch(() => undefined);
    return run;
  }

  async #rekey(old: string | undefined, next: string | null): Promise<RekeyReport> {
    const db = this.#db;
    await this.ready();
    const row = await this.#readRow();
    if ((row?.generation ?? '') !== this.#generation) {
      this.#changedElsewhere();
      throw new VaultChangedError();
    }
    let oldKey: CryptoKey | null = null;
    if (row?.lock) {
      oldKey = await deriveKey(old ?? '', row.lock.salt, row.lock.iterations);
      if (!(await verifies(oldKey, row.lock.check))) throw new WrongPassphraseError();
    }
    if (!row?.lock && next === null) return { rewritten: 0, unreadable: 0 };

    const generation = newGeneration();
    let newKey: CryptoKey | null = null;
    let newRow: VaultRow = { v: 1, generation };
    if (next !== null) {
      const salt = randomBytes(SALT_BYTES);
      newKey = await deriveKey(next, salt, this.#iterations);
      newRow = { v: 1, generation, lock: { salt, iterations: this.#iterations, check: await encryptBytes(newKey, CHECK_PLAIN, CHECK_AAD) } };
    }
    const from = new Codec(row?.generation ?? '', oldKey);
    const to = new Codec(generation, newKey);

    for (let attempt = 0; attempt < 10; attempt++) {
      const [updates, cases] = await db.transaction('r', db.updates, db.cases, () =>
        Promise.all([db.updates.toArray(), db.cases.toArray()]),
      );
      const rewrittenUpdates: UpdateRow[] = [];
      const rewrittenCases: CaseRow[] = [];
      let unreadable = 0;
      for (const u of updates) {
        const bytes = await from.openUpdate(u.docKey, u);
        if (bytes && typeof u.seq === 'number') rewrittenUpdates.push({ ...(await to.sealUpdate(u.docKey, bytes)), seq: u.seq });
        else unreadable++;
      }
      for (const c of cases) {
        const record = await from.openCase(c);
        if (record) rewrittenCases.push(await to.sealCase(record));
        else unreadable++;
      }
      const seqs = updates.map((u) => u.seq).sort();
      const caseSignatures = cases.map(rowSignature).sort();
      const committed = await db.transaction('rw', db.settings, db.updates, db.cases, async () => {
        const current = await db.settings.get(VAULT_KEY);
        if ((VaultRow.safeParse(current?.value).data?.generation ?? (current ? null : '')) !== (row?.generation ?? '')) {
          throw new VaultChangedError();
        }
        const nowSeqs = ((await db.updates.toCollection().primaryKeys()) as number[]).sort();
        const nowCases = (await db.cases.toArray()).map(rowSignature).sort();
        if (nowSeqs.join() !== seqs.join() || nowCases.join('\n') !== caseSignatures.join('\n')) return false;
        await db.updates.bulkPut(rewrittenUpdates);
        await db.cases.bulkPut(rewrittenCases);
        await db.settings.put({ key: VAULT_KEY, value: newRow });
        return true;
      });
      if (!committed) continue;
      this.#row = newRow;
      this.#key = newKey;
      this.#post('changed');
      this.#emit(this.status);
      return { rewritten: rewrittenUpdates.length + rewrittenCases.length, unreadable };
    }
    throw new Error('Storage kept changing during the passphrase change; nothing was changed. Please try again.');
  }

  /** Another tab changed the passphrase: this tab's key and generation are out of date. */
  #changedElsewhere(): void {
    this.#key = null;
    this.#loading = null;
    this.#loaded = false;
    this.#row = undefined;
    this.#emit('stale');
  }

  get #channelName(): string {
    return `runder-tisch.vault.${this.#db.name}`;
  }

  #post(type: Message['type']): void {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(this.#channelName);
    channel.postMessage({ type, from: this.#id } satisfies Message);
    channel.close();
  }

  /** Follows passphrase changes and "lock now" of this device's other tabs (the app calls this once). */
  watchOtherTabs(): () => void {
    if (typeof BroadcastChannel === 'undefined') return () => undefined;
    const channel = new BroadcastChannel(this.#channelName);
    channel.onmessage = (event: MessageEvent<Message>) => {
      if (event.data?.from === this.#id) return;
      if (event.data?.type === 'changed') this.#changedElsewhere();
      else if (event.data?.type === 'locked') void this.lock();
    };
    return () => channel.close();
  }
}

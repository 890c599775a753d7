import * as Y from 'yjs';
import type { RunderTischDb } from './db.ts';
import { RETRY } from './vault.ts';

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'saving' }
  | { kind: 'failed'; reason: 'quota' | 'unavailable' | 'other'; message: string };

/** Merge the log into one row when it grows past this many rows. */
const COMPACT_AFTER_ROWS = 500;

/**
 * Updates that arrived from other devices are written together after at most this long. In a
 * conference every keystroke of every person is an update on every device: one IndexedDB
 * transaction per keystroke per device was a fifth of a receiving page's script time. The
 * sender keeps its own edits durable at once, so a remote keystroke is never only in memory
 * everywhere.
 */
export const REMOTE_WRITE_DELAY_MS = 500;

function classify(error: unknown): SaveState {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return { kind: 'failed', reason: 'quota', message };
  if (
    name === 'DatabaseClosedError' ||
    name === 'MissingAPIError' ||
    name === 'InvalidStateError' ||
    name === 'VaultLockedError' ||
    name === 'VaultChangedError'
  ) {
    return { kind: 'failed', reason: 'unavailable', message };
  }
  return { kind: 'failed', reason: 'other', message };
}

/**
 * Keeps one Y.Doc in an append-only update log in IndexedDB. Every local update is written as
 * soon as it happens (batched only while a write is in flight), so the window between an edit
 * on screen and its durability is one IndexedDB transaction; updates from other devices are
 * batched for up to REMOTE_WRITE_DELAY_MS. The save state is `saving` from the moment an
 * update is waiting, so `whenSaved` and the status on screen never claim a write too early. Rows that cannot be decoded (or,
 * with a device passphrase, decrypted) are kept and reported, never deleted. Encryption is
 * the vault's business (`db.vault`): rows are sealed on write and opened on load.
 */
export class DocPersistence {
  readonly docKey: string;
  /** Seq numbers of stored rows that could not be applied. */
  readonly corruptRows: number[] = [];
  #db: RunderTischDb;
  #doc: Y.Doc;
  #buffer: Uint8Array[] = [];
  #writing: Promise<void> | null = null;
  #delayed: ReturnType<typeof setTimeout> | null = null;
  #rowsSinceCompaction = 0;
  #state: SaveState = { kind: 'saved' };
  #stateListeners = new Set<(state: SaveState) => void>();
  #destroyed = false;
  #unregister: () => void = () => undefined;

  private constructor(db: RunderTischDb, docKey: string, doc: Y.Doc) {
    this.#db = db;
    this.docKey = docKey;
    this.#doc = doc;
  }

  /** Loads everything stored for `docKey` into `doc`, then records every later update. */
  static async open(db: RunderTischDb, docKey: string, doc: Y.Doc): Promise<DocPersistence> {
    const persistence = new DocPersistence(db, docKey, doc);
    await persistence.#load();
    doc.on('update', persistence.#onUpdate);
    // Locking the device first writes what is still in memory.
    persistence.#unregister = db.vault.registerFlusher(() => persistence.whenSaved());
    if (persistence.#rowsSinceCompaction > COMPACT_AFTER_ROWS) await persistence.compact();
    return persistence;
  }

  get state(): SaveState {
    return this.#state;
  }

  onState(listener: (state: SaveState) => void): () => void {
    this.#stateListeners.add(listener);
    listener(this.#state);
    return () => this.#stateListeners.delete(listener);
  }

  /** Resolves when every update seen so far is durable (or rejects with the write error). */
  async whenSaved(): Promise<void> {
    this.#cancelDelay();
    while (this.#writing || this.#buffer.length > 0) {
      if (!this.#writing) this.#flush();
      await this.#writing;
      if (this.#state.kind === 'failed') throw new Error(this.#state.message);
    }
  }

  async #load(): Promise<void> {
    const codec = await this.#db.vault.codec();
    const rows = await this.#db.updates.where('docKey').equals(this.docKey).sortBy('seq');
    const good: { seq: number; update: Uint8Array }[] = [];
    for (const row of rows) {
      if (typeof row.seq !== 'number') continue;
      const update = await codec.openUpdate(this.docKey, row);
      if (update) good.push({ seq: row.seq, update });
      else this.corruptRows.push(row.seq);
    }
    this.#rowsSinceCompaction = rows.length;
    if (good.length === 0) return;
    try {
      Y.applyUpdate(this.#doc, Y.mergeUpdates(good.map((row) => row.update)), this);
    } catch {
      // One bad row must not hide the rest: apply one by one and set the bad ones aside.
      for (const row of good) {
        try {
          Y.applyUpdate(this.#doc, row.update, this);
        } catch {
          this.corruptRows.push(row.seq);
        }
      }
    }
  }

  #onUpdate = (update: Uint8Array, origin: unknown, _doc?: Y.Doc, tr?: Y.Transaction): void => {
    if (origin === this || this.#destroyed) return;
    this.#buffer.push(update);
    if (this.#writing) return;
    if (tr && !tr.local) {
      // From another device: written with whatever else arrives shortly.
      if (this.#delayed === null) {
        if (this.#state.kind !== 'saving') this.#setState({ kind: 'saving' });
        this.#delayed = setTimeout(() => {
          this.#delayed = null;
          if (!this.#writing && this.#buffer.length > 0) this.#flush();
        }, REMOTE_WRITE_DELAY_MS);
      }
      return;
    }
    this.#cancelDelay();
    this.#flush();
  };

  #cancelDelay(): void {
    if (this.#delayed === null) return;
    clearTimeout(this.#delayed);
    this.#delayed = null;
  }

  #setState(state: SaveState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #flush(): void {
    if (this.#state.kind !== 'saving') this.#setState({ kind: 'saving' });
    this.#writing = (async () => {
      while (this.#buffer.length > 0) {
        // Take the batch out: updates that arrive during the write start the next batch.
        const batch = this.#buffer;
        this.#buffer = [];
        const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
        try {
          await this.#db.vault.guarded(
            [this.#db.updates],
            (codec) => codec.sealUpdate(this.docKey, update),
            (row) => this.#db.updates.add(row),
          );
          this.#rowsSinceCompaction++;
        } catch (error) {
          // Keep the batch in memory: it is written again with the next edit or retry().
          this.#buffer = [update, ...this.#buffer];
          this.#setState(classify(error));
          return;
        }
      }
      if (this.#rowsSinceCompaction > COMPACT_AFTER_ROWS) await this.compact().catch(() => undefined);
      this.#setState({ kind: 'saved' });
    })().finally(() => {
      this.#writing = null;
    });
  }

  /** Stores the doc's whole current state, for a doc that was filled before storage was attached. */
  saveFullState(): void {
    this.#onUpdate(Y.encodeStateAsUpdate(this.#doc), null);
  }

  /** Writes what is still only in memory, e.g. after the user freed storage. */
  retry(): Promise<void> {
    return this.whenSaved();
  }

  /**
   * Replaces the readable rows of this document by one merged row, atomically. Rows are read,
   * decrypted and merged first; the transaction then checks they are all still there (another
   * tab may have compacted meanwhile) before it adds the merged row and deletes them.
   */
  async compact(): Promise<void> {
    const db = this.#db;
    await db.vault.guarded(
      [db.updates],
      async (codec) => {
        const rows = await db.updates.where('docKey').equals(this.docKey).toArray();
        // Merge the stored rows themselves, not this doc's state: another tab may have written
        // rows this doc has not loaded. A fresh doc also garbage-collects deleted content.
        const scratch = new Y.Doc();
        const merged: number[] = [];
        for (const row of rows) {
          if (typeof row.seq !== 'number' || this.corruptRows.includes(row.seq)) continue;
          const update = await codec.openUpdate(this.docKey, row);
          if (!update) continue;
          try {
            Y.applyUpdate(scratch, update);
            merged.push(row.seq);
          } catch {
            // Left in place: compaction never deletes what it could not read.
          }
        }
        const state = Y.encodeStateAsUpdate(scratch);
        scratch.destroy();
        if (merged.length < 2) return null;
        return { seqs: merged, row: await codec.sealUpdate(this.docKey, state) };
      },
      async (prepared) => {
        if (!prepared) return;
        const still = await db.updates.bulkGet(prepared.seqs);
        if (still.some((row) => row === undefined)) return RETRY;
        await db.updates.add(prepared.row);
        await db.updates.bulkDelete(prepared.seqs);
      },
    );
    this.#rowsSinceCompaction = 1;
  }

  destroy(): void {
    // Updates still waiting for their batch are written now, not dropped.
    if (this.#delayed !== null) {
      this.#cancelDelay();
      if (!this.#writing && this.#buffer.length > 0) this.#flush();
    }
    this.#destroyed = true;
    this.#unregister();
    this.#doc.off('update', this.#onUpdate);
    this.#stateListeners.clear();
  }
}

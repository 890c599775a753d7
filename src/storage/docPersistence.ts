import * as Y from 'yjs';
import { z } from 'zod';
import type { RunderTischDb, UpdateRow } from './db.ts';

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'saving' }
  | { kind: 'failed'; reason: 'quota' | 'unavailable' | 'other'; message: string };

const StoredUpdate = z.object({ seq: z.number().int(), docKey: z.string(), update: z.instanceof(Uint8Array) });

/** Merge the log into one row when it grows past this many rows. */
const COMPACT_AFTER_ROWS = 500;

function classify(error: unknown): SaveState {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return { kind: 'failed', reason: 'quota', message };
  if (name === 'DatabaseClosedError' || name === 'MissingAPIError' || name === 'InvalidStateError') {
    return { kind: 'failed', reason: 'unavailable', message };
  }
  return { kind: 'failed', reason: 'other', message };
}

/**
 * Keeps one Y.Doc in an append-only update log in IndexedDB. Every update is written as soon
 * as it happens (batched only while a write is in flight), so the window between an edit on
 * screen and its durability is one IndexedDB transaction. Rows that cannot be decoded are
 * kept and reported, never deleted.
 */
export class DocPersistence {
  readonly docKey: string;
  /** Seq numbers of stored rows that could not be applied. */
  readonly corruptRows: number[] = [];
  #db: RunderTischDb;
  #doc: Y.Doc;
  #buffer: Uint8Array[] = [];
  #writing: Promise<void> | null = null;
  #rowsSinceCompaction = 0;
  #state: SaveState = { kind: 'saved' };
  #stateListeners = new Set<(state: SaveState) => void>();
  #destroyed = false;

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
    while (this.#writing || this.#buffer.length > 0) {
      if (!this.#writing) this.#flush();
      await this.#writing;
      if (this.#state.kind === 'failed') throw new Error(this.#state.message);
    }
  }

  async #load(): Promise<void> {
    const rows = await this.#db.updates.where('docKey').equals(this.docKey).sortBy('seq');
    const good: Uint8Array[] = [];
    for (const row of rows) {
      const parsed = StoredUpdate.safeParse(row);
      if (parsed.success) good.push(parsed.data.update);
      else if (typeof row.seq === 'number') this.corruptRows.push(row.seq);
    }
    this.#rowsSinceCompaction = rows.length;
    if (good.length === 0) return;
    try {
      Y.applyUpdate(this.#doc, Y.mergeUpdates(good), this);
    } catch {
      // One bad row must not hide the rest: apply one by one and set the bad ones aside.
      rows.forEach((row) => {
        if (!(row.update instanceof Uint8Array) || typeof row.seq !== 'number') return;
        try {
          Y.applyUpdate(this.#doc, row.update, this);
        } catch {
          this.corruptRows.push(row.seq);
        }
      });
    }
  }

  #onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.#destroyed) return;
    this.#buffer.push(update);
    if (!this.#writing) this.#flush();
  };

  #setState(state: SaveState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #flush(): void {
    this.#setState({ kind: 'saving' });
    this.#writing = (async () => {
      while (this.#buffer.length > 0) {
        // Take the batch out: updates that arrive during the write start the next batch.
        const batch = this.#buffer;
        this.#buffer = [];
        const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
        try {
          await this.#db.updates.add({ docKey: this.docKey, update } satisfies UpdateRow);
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

  /** Replaces the readable rows of this document by one merged row, atomically. */
  async compact(): Promise<void> {
    await this.#db.transaction('rw', this.#db.updates, async () => {
      const rows = await this.#db.updates.where('docKey').equals(this.docKey).toArray();
      const readable = rows.filter(
        (row): row is UpdateRow & { seq: number } =>
          typeof row.seq === 'number' && row.update instanceof Uint8Array && !this.corruptRows.includes(row.seq),
      );
      if (readable.length < 2) return;
      // Merge the stored rows themselves, not this doc's state: another tab may have written
      // rows this doc has not loaded. A fresh doc also garbage-collects deleted content.
      const scratch = new Y.Doc();
      scratch.transact(() => readable.forEach((row) => Y.applyUpdate(scratch, row.update)));
      await this.#db.updates.add({ docKey: this.docKey, update: Y.encodeStateAsUpdate(scratch) });
      scratch.destroy();
      await this.#db.updates.bulkDelete(readable.map((row) => row.seq));
    });
    this.#rowsSinceCompaction = 1;
  }

  destroy(): void {
    this.#destroyed = true;
    this.#doc.off('update', this.#onUpdate);
    this.#stateListeners.clear();
  }
}

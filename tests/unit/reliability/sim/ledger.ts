import * as Y from 'yjs';

/**
 * What the generator did, as each replica acknowledged it (the API call returned), so the end
 * state can be checked against it. "Acknowledged" means applied to the writing replica's own
 * document; in the app that document is what is saved and shown.
 */

/** One write of a last-writer-wins field (a Y.Map key): its value and causal position. */
export interface Write {
  value: unknown;
  /** Yjs id of the write: the writer's client id and its clock before the write. */
  client: number;
  clock: number;
  /** What the writer had seen before writing (its state vector). */
  seen: Map<number, number>;
}

/** Characters of one text field: every character the generator typed is unique in the run. */
export interface TextLedger {
  inserted: Set<string>;
  deleted: Set<string>;
}

export class Ledger {
  /** collection → entity ids, in creation order. */
  readonly entities = new Map<string, string[]>();
  /** `${collection}/${id}/${field}` → characters. */
  readonly texts = new Map<string, TextLedger>();
  /** Rich text (the Ausgangslage): character → the paragraph (Yjs id) it was typed into. */
  readonly rich = { inserted: new Map<string, string>(), deleted: new Set<string>(), deletedParagraphs: new Set<string>() };
  /** `${root}/${key}/${field}` → writes. */
  readonly scalars = new Map<string, Write[]>();
  /** Counts, for the report. */
  edits = 0;

  created(collection: string, id: string): void {
    let ids = this.entities.get(collection);
    if (!ids) this.entities.set(collection, (ids = []));
    ids.push(id);
  }

  text(key: string): TextLedger {
    let t = this.texts.get(key);
    if (!t) this.texts.set(key, (t = { inserted: new Set(), deleted: new Set() }));
    return t;
  }

  /** Records the characters a local edit of a text field added and removed. */
  textEdit(key: string, before: string, after: string): void {
    const t = this.text(key);
    const was = new Set(before);
    const now = new Set(after);
    for (const c of now) if (!was.has(c)) t.inserted.add(c);
    for (const c of was) if (!now.has(c)) t.deleted.add(c);
  }

  write(key: string, value: unknown, at: WritePosition): void {
    let writes = this.scalars.get(key);
    if (!writes) this.scalars.set(key, (writes = []));
    writes.push({ value, ...at });
  }
}

/** Where a write stands causally: taken just before the write, on the writing replica. */
export type WritePosition = Omit<Write, 'value'>;

export function positionOf(doc: Y.Doc): WritePosition {
  return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID), seen: Y.decodeStateVector(Y.encodeStateVector(doc)) };
}

/** `later` was made by a replica that had already seen `earlier`. */
export function happenedBefore(earlier: Write, later: Write): boolean {
  return (later.seen.get(earlier.client) ?? 0) > earlier.clock;
}

/**
 * The values a field may legitimately end with: those of writes that no other write of the
 * same field followed causally (concurrent writes, of which Yjs keeps one). A field nobody
 * wrote must end absent.
 */
export function allowedValues(writes: readonly Write[] | undefined): unknown[] {
  if (!writes || writes.length === 0) return [undefined];
  return writes.filter((w) => !writes.some((other) => other !== w && happenedBefore(w, other))).map((w) => w.value);
}

/** A ledger as plain JSON (to cross a process boundary). */
export interface LedgerJson {
  entities: [string, string[]][];
  texts: [string, { inserted: string[]; deleted: string[] }][];
  rich: { inserted: [string, string][]; deleted: string[]; deletedParagraphs: string[] };
  scalars: [string, { value: unknown; absent: boolean; client: number; clock: number; seen: [number, number][] }[]][];
  edits: number;
}

export function ledgerToJson(l: Ledger): LedgerJson {
  return {
    entities: [...l.entities],
    texts: [...l.texts].map(([k, t]) => [k, { inserted: [...t.inserted], deleted: [...t.deleted] }]),
    rich: { inserted: [...l.rich.inserted], deleted: [...l.rich.deleted], deletedParagraphs: [...l.rich.deletedParagraphs] },
    // `undefined` (an absent field) does not survive JSON: it travels as a flag.
    scalars: [...l.scalars].map(([k, ws]) => [k, ws.map((w) => ({ value: w.value ?? null, absent: w.value === undefined, client: w.client, clock: w.clock, seen: [...w.seen] }))]),
    edits: l.edits,
  };
}

/** Adds what `json` records to `into`: every record is a union, so ledgers of several replicas merge. */
export function mergeLedger(into: Ledger, json: LedgerJson): void {
  for (const [collection, ids] of json.entities) for (const id of ids) if (!into.entities.get(collection)?.includes(id)) into.created(collection, id);
  for (const [key, t] of json.texts) {
    const mine = into.text(key);
    for (const c of t.inserted) mine.inserted.add(c);
    for (const c of t.deleted) mine.deleted.add(c);
  }
  for (const [c, p] of json.rich.inserted) into.rich.inserted.set(c, p);
  for (const c of json.rich.deleted) into.rich.deleted.add(c);
  for (const p of json.rich.deletedParagraphs) into.rich.deletedParagraphs.add(p);
  for (const [key, ws] of json.scalars) {
    for (const w of ws) {
      const known = into.scalars.get(key)?.some((x) => x.client === w.client && x.clock === w.clock);
      if (!known) into.write(key, w.absent ? undefined : w.value, { client: w.client, clock: w.clock, seen: new Map(w.seen) });
    }
  }
  into.edits += json.edits;
}

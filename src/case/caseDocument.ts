import * as Y from 'yjs';
import { z } from 'zod';
import { Domain, DomainStatus } from '../domain/assessment.ts';
import { NewCaseInput, SCHEMA_VERSION, type CaseMeta, type GoalLevel } from '../domain/case.ts';
import { newId, type EntityId } from '../domain/ids.ts';
import { keyAfterLast, keyAt } from '../domain/order.ts';
import { Acceptance, AcceptanceState, acceptanceKey } from '../domain/participants.ts';
import { PlanSettings } from '../domain/plan.ts';
import { SCOPE_IDS, Visibility, scopeOf, type ScopeId } from '../domain/visibility.ts';
import { COLLECTIONS, setFieldsOf, type CollectionName, type PatchOf, type TextFieldOf } from './collections.ts';
import { RICH_TEXT_FIELDS, collectionMap, metaMap, rootMap, type EntityMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { CaseReader, collectChanges, noChanges, type CaseView, type ViewChanges, type YType } from './read.ts';
import { yTextField, type TextField } from './textField.ts';
import { CaseClosedError, CaseClosure, isClosedDoc } from './closure.ts';

type Listener = (view: CaseView) => void;

/** Names of the set-valued fields (`sets` in the registry) of collection C. */
type SetFieldOf<C extends CollectionName> = (typeof COLLECTIONS)[C] extends { sets: readonly (infer S extends string)[] } ? S : never;

/** The schema a set field's keys must satisfy: the key type of its record in the entity schema. */
function setKeySchema(collection: CollectionName, field: string): z.ZodType | null {
  if (!setFieldsOf(collection).includes(field)) return null;
  let schema: unknown = (COLLECTIONS[collection].schema.shape as Record<string, unknown>)[field];
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap();
  return schema instanceof z.ZodRecord ? (schema.keyType as z.ZodType) : null;
}

export interface NewEntity<C extends CollectionName> {
  texts?: Partial<Record<TextFieldOf<C>, string>>;
  fields?: PatchOf<C>;
}

/**
 * Typed read/write access to one case: its shared Y.Doc (`doc`) plus the scope documents this
 * device holds the keys for (docs/case-schema.md, "Scopes"). The view merges the collections
 * of all of them; a write goes to the document that holds the entity. Every write is
 * validated, then done in one transaction with LOCAL_EDIT as origin; reads are validated
 * (CaseReader) and cached until the next change, and after a change only what it touched is
 * read again. `subscribe` follows the Svelte store contract.
 */
export class CaseDocument {
  readonly doc: Y.Doc;
  #scopeDocs = new Map<ScopeId, Y.Doc>();
  #reader = new CaseReader();
  #view: CaseView | null = null;
  /** What changed since `#view` was read; `null`: read everything (a scope came or went). */
  #changes: ViewChanges | null = null;
  #listeners = new Set<Listener>();
  #scopeListeners = new Set<(scopes: ScopeId[]) => void>();
  #closure: CaseClosure | null = null;

  constructor(doc: Y.Doc, scopeDocs: Iterable<readonly [ScopeId, Y.Doc]> = []) {
    this.doc = doc;
    doc.on('afterTransaction', this.#onChange);
    for (const [scope, scopeDoc] of scopeDocs) this.addScope(scope, scopeDoc);
  }

  /** Adds the document of a further scope (this device received its key); the view merges it. */
  addScope(scope: ScopeId, doc: Y.Doc): void {
    if (scope === 'shared') throw new Error('the shared scope is the case document itself');
    if (this.#scopeDocs.get(scope) === doc) return;
    this.#scopeDocs.get(scope)?.off('afterTransaction', this.#onChange);
    this.#scopeDocs.set(scope, doc);
    doc.on('afterTransaction', this.#onChange);
    this.#invalidate(null);
    for (const listener of this.#scopeListeners) listener(this.scopes());
  }

  /** Stops merging a scope's document (it is not destroyed here). */
  removeScope(scope: ScopeId): void {
    const doc = this.#scopeDocs.get(scope);
    if (!doc) return;
    doc.off('afterTransaction', this.#onChange);
    this.#scopeDocs.delete(scope);
    this.#invalidate(null);
    for (const listener of this.#scopeListeners) listener(this.scopes());
  }

  /** The document of `scope`, if this device holds it. */
  scopeDoc(scope: ScopeId): Y.Doc | undefined {
    return scope === 'shared' ? this.doc : this.#scopeDocs.get(scope);
  }

  /** Scopes this device holds, `shared` first, in SCOPE_IDS order. */
  scopes(): ScopeId[] {
    return SCOPE_IDS.filter((s) => s === 'shared' || this.#scopeDocs.has(s));
  }

  /** Follows the set of held scopes (store contract: called at once). */
  onScopes(listener: (scopes: ScopeId[]) => void): () => void {
    this.#scopeListeners.add(listener);
    listener(this.scopes());
    return () => this.#scopeListeners.delete(listener);
  }

  /** The scope the entity `id` lives in (`shared` when unknown). */
  scopeOf(id: EntityId): ScopeId {
    return this.view().scopes[id] ?? 'shared';
  }

  /** Writes the metadata of a brand-new case. Only the creator calls this, exactly once. */
  static initialize(doc: Y.Doc, input: NewCaseInput, caseId: EntityId = newId()): CaseMeta {
    const parsed = NewCaseInput.parse(input);
    const meta: CaseMeta = {
      schemaVersion: SCHEMA_VERSION,
      caseId,
      displayName: parsed.displayName,
      team: parsed.team,
      ...(parsed.birthMonth ? { birthMonth: parsed.birthMonth } : {}),
      createdAt: Date.now(),
    };
    doc.transact(() => {
      const map = metaMap(doc);
      for (const [key, value] of Object.entries(meta)) map.set(key, value);
    }, LOCAL_EDIT);
    return meta;
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.#onChange);
    for (const doc of this.#scopeDocs.values()) doc.off('afterTransaction', this.#onChange);
    this.#listeners.clear();
    this.#scopeListeners.clear();
  }

  view(): CaseView {
    if (!this.#view || this.#changes?.collections.size !== 0 || this.#changes.singletons) {
      this.#view = this.#reader.read(this.doc, this.#scopeDocs, this.#view ? this.#changes : null);
      this.#changes = noChanges();
    }
    return this.#view;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.view());
    return () => this.#listeners.delete(listener);
  }

  #onChange = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0) return;
    // Text typed into a rich-text field (Ausgangslage) is not part of the view: the editor
    // follows its fragment itself. Such a keystroke costs no read and wakes no subscriber.
    if ([...tr.changed.keys()].every((type) => underRichText(tr.doc, type))) return;
    this.#invalidate(this.#changes === null ? null : tr);
  };

  /**
   * Records what `tr` changed (`null`: everything) and hands subscribers the view. A change
   * outside the view (e.g. the keyring) still notifies, with the same view object: subscribers
   * such as the case session look at the document beside the view.
   */
  #invalidate(tr: Y.Transaction | null): void {
    if (tr === null) this.#changes = null;
    else if (this.#changes !== null) collectChanges(tr, this.#changes);
    if (this.#listeners.size === 0) return;
    const view = this.view();
    for (const listener of this.#listeners) listener(view);
  }

  /** Several writes as one change (one undo step, one update on the wire). */
  transact(fn: () => void): void {
    this.#assertOpen();
    this.doc.transact(fn, LOCAL_EDIT);
  }

  /** Closure and evaluation (src/case/closure.ts); once closed, the case refuses writes. */
  get closure(): CaseClosure {
    return (this.#closure ??= new CaseClosure(this));
  }

  /**
   * Refuses any write to a closed case. Only the participant list stays writable: it is the
   * table's mechanics, not case content (admission, removal and key rotation must still work
   * for whoever opens the closed case together).
   */
  #assertOpen(collection?: CollectionName): void {
    if (collection !== 'participants' && isClosedDoc(this.doc)) throw new CaseClosedError();
  }

  // --- generic collections ------------------------------------------------

  /** Creates an entity in `scope`'s document (which this device must hold). */
  add<C extends CollectionName>(collection: C, init: NewEntity<C> = {}, scope: ScopeId = 'shared'): EntityId {
    this.#assertOpen(collection);
    const target = this.scopeDoc(scope);
    if (!target) throw new Error(`scope ${scope} is not held on this device`);
    const spec = COLLECTIONS[collection];
    // Initial scalars are exactly what a later patch may set; `null` means "not set".
    const scalars = Object.entries(spec.patch.parse(init.fields ?? {}) as Record<string, unknown>).filter(
      ([, value]) => value !== null && value !== undefined,
    );
    const texts = (spec.texts as readonly string[]).map(
      (field) => [field, (init.texts as Record<string, string> | undefined)?.[field] ?? ''] as const,
    );
    const id = newId();
    const base = { id, order: keyAfterLast(this.#orderKeys(collection)), createdAt: Date.now() };
    // The complete entity is validated before anything is written.
    spec.schema.parse({ ...Object.fromEntries(scalars), ...Object.fromEntries(texts), ...base });
    this.#write(target, () => {
      const map: EntityMap = new Y.Map();
      for (const [key, value] of [...Object.entries(base), ...scalars]) map.set(key, value);
      // Every text field exists from the start: creating one lazily on two peers at once
      // would let one Y.Text replace the other and lose its characters.
      for (const [field, value] of texts) map.set(field, new Y.Text(value));
      // Likewise set-valued fields: two devices creating the map concurrently would lose a link.
      for (const field of setFieldsOf(collection)) map.set(field, new Y.Map());
      collectionMap(target, collection).set(id, map);
    });
    return id;
  }

  /**
   * Moves an entity to the scope of `visibility`: its plain content (text included) is copied
   * into a new entry with the same id in the target document, then the entry is deleted from
   * the source document, so the source scope's current state no longer holds it. (This is the
   * one exception to "never delete an entry".) History that already reached devices entitled
   * to the old scope stays with them: restricting protects from now on, it cannot recall.
   */
  setVisibility(collection: CollectionName, id: EntityId, visibility: Visibility): void {
    this.#assertOpen(collection);
    const to = scopeOf(Visibility.parse(visibility));
    const sourceDoc = this.#docOf(collection, id);
    const source = this.#entity(collectionMap(sourceDoc, collection), id);
    const target = this.scopeDoc(to);
    if (!target) throw new Error(`scope ${to} is not held on this device`);
    if (target === sourceDoc) return;
    this.#write(target, () => collectionMap(target, collection).set(id, copyEntity(source)));
    this.#write(sourceDoc, () => collectionMap(sourceDoc, collection).delete(id));
  }

  update<C extends CollectionName>(collection: C, id: EntityId, patch: PatchOf<C>): void {
    const parsed = COLLECTIONS[collection].patch.parse(patch) as Record<string, unknown>;
    this.#patch(collection, id, parsed);
  }

  text<C extends CollectionName>(collection: C, id: EntityId, field: TextFieldOf<C>): TextField {
    // Resolved on every access: the entity may have moved to another scope meanwhile.
    const text = yTextField(() => this.#text(collection, id, field), LOCAL_EDIT);
    return { ...text, set: (next) => (this.#assertOpen(collection), text.set(next)) };
  }

  remove(collection: CollectionName, id: EntityId): void {
    this.#patch(collection, id, { deletedAt: Date.now() });
  }

  restore(collection: CollectionName, id: EntityId): void {
    this.#patch(collection, id, { deletedAt: null });
  }

  move(collection: CollectionName, id: EntityId, toIndex: number, within?: (item: { id: string }) => boolean): void {
    this.#assertOpen(collection);
    const list = (this.view()[collection] as { id: string; order: string }[]).filter(within ?? (() => true));
    const others = list.filter((item) => item.id !== id).map((item) => item.order);
    const order = keyAt(others, toIndex);
    const doc = this.#docOf(collection, id);
    this.#write(doc, () => this.#entity(collectionMap(doc, collection), id).set('order', order));
  }

  // --- goals and steps (the screens' vocabulary) ---------------------------

  addGoal(level: GoalLevel, title = ''): EntityId {
    return this.add('goals', { texts: { title }, fields: { level, status: 'offen' } });
  }
  updateGoal(id: EntityId, patch: PatchOf<'goals'>): void {
    this.update('goals', id, patch);
  }
  goalText(id: EntityId, field: TextFieldOf<'goals'>): TextField {
    return this.text('goals', id, field);
  }
  removeGoal(id: EntityId): void {
    this.remove('goals', id);
  }
  restoreGoal(id: EntityId): void {
    this.restore('goals', id);
  }
  /** Reorders among goals of the same level: priorities are per level. */
  moveGoal(id: EntityId, toIndex: number): void {
    const level = this.view().goals.find((g) => g.id === id)?.level;
    this.move('goals', id, toIndex, (g) => (g as { level?: string }).level === level);
  }

  addStep(what = '', goalId?: EntityId): EntityId {
    return this.add('steps', { texts: { what }, fields: { status: 'offen', ...(goalId ? { goalId } : {}) } });
  }
  updateStep(id: EntityId, patch: PatchOf<'steps'>): void {
    this.update('steps', id, patch);
  }
  stepText(id: EntityId, field: TextFieldOf<'steps'>): TextField {
    return this.text('steps', id, field);
  }
  removeStep(id: EntityId): void {
    this.remove('steps', id);
  }
  restoreStep(id: EntityId): void {
    this.restore('steps', id);
  }
  moveStep(id: EntityId, toIndex: number): void {
    this.move('steps', id, toIndex);
  }

  /**
   * Adds `key` to (`on`) or removes it from a set-valued field (a map key → true: concurrent
   * toggles of different keys all survive). The key is validated against the field's key
   * schema before anything is written.
   */
  toggleInSet<C extends CollectionName>(collection: C, id: EntityId, field: SetFieldOf<C>, key: string, on: boolean): void {
    this.#assertOpen(collection);
    const keySchema = setKeySchema(collection, field);
    if (!keySchema) throw new Error(`${collection}.${field} is not a set field`);
    const k = keySchema.parse(key) as string;
    const doc = this.#docOf(collection, id);
    this.#write(doc, () => {
      const entity = this.#entity(collectionMap(doc, collection), id);
      let set = entity.get(field);
      // Only entries written before sets were created with the entity lack the map.
      if (!(set instanceof Y.Map)) {
        set = new Y.Map();
        entity.set(field, set);
      }
      const map = set as Y.Map<unknown>;
      if (on && map.get(k) !== true) map.set(k, true);
      else if (!on && map.has(k)) map.delete(k);
    });
  }

  /** Links or unlinks an assessment need to a goal (a set: concurrent links all survive). */
  linkNeed(goalId: EntityId, needId: EntityId, linked: boolean): void {
    this.toggleInSet('goals', goalId, 'needs', needId, linked);
  }

  // --- singletons ---------------------------------------------------------

  setDomainStatus(domain: Domain, status: DomainStatus): void {
    const d = Domain.parse(domain);
    const s = DomainStatus.parse(status);
    this.transact(() => rootMap(this.doc, 'domains').set(d, s));
  }

  /** `null` clears a setting. */
  setPlan(patch: { nextReview?: string | null; reviewMode?: PlanSettings['reviewMode'] | null }): void {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined));
    PlanSettings.strict().parse(clean);
    this.transact(() => {
      const map = rootMap(this.doc, 'plan');
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) map.delete(key);
        else map.set(key, value);
      }
    });
  }

  /** One participant's answer to one goal; answering again replaces their earlier answer. */
  setAcceptance(goalId: EntityId, participantId: EntityId, state: AcceptanceState, reason = ''): void {
    const value: Acceptance = Acceptance.parse({
      id: acceptanceKey(goalId, participantId),
      goalId,
      participantId,
      state,
      at: Date.now(),
      reason,
    });
    this.transact(() => rootMap(this.doc, 'acceptances').set(value.id, value));
  }

  setDisplayName(name: string): void {
    const value = NewCaseInput.shape.displayName.parse(name);
    this.transact(() => metaMap(this.doc).set('displayName', value));
  }

  // --- mechanics ----------------------------------------------------------

  /**
   * Sorted order keys read from the live document, not the cached view: inside a transaction
   * the view is not refreshed yet, and two adds would otherwise get the same key.
   */
  #orderKeys(collection: CollectionName): string[] {
    const keys: string[] = [];
    for (const doc of [this.doc, ...this.#scopeDocs.values()]) {
      collectionMap(doc, collection).forEach((entity) => {
        const order = entity instanceof Y.Map ? entity.get('order') : undefined;
        if (typeof order === 'string') keys.push(order);
      });
    }
    return keys.sort();
  }

  /** The document holding entity `id` (the most restricted one, as the view shows it). */
  #docOf(collection: CollectionName, id: EntityId): Y.Doc {
    for (const scope of [...SCOPE_IDS].reverse()) {
      const doc = this.scopeDoc(scope);
      if (doc && collectionMap(doc, collection).has(id)) return doc;
    }
    return this.doc;
  }

  /** One local transaction on `doc` (nested inside `transact` when called from there). */
  #write(doc: Y.Doc, fn: () => void): void {
    doc.transact(fn, LOCAL_EDIT);
  }

  #entity(root: Y.Map<unknown>, id: EntityId): EntityMap {
    const entity = root.get(id);
    if (!(entity instanceof Y.Map)) throw new Error(`No entry ${id}`);
    return entity;
  }

  /** `null` removes an optional field; `undefined` leaves it alone. */
  #patch(collection: CollectionName, id: EntityId, patch: Record<string, unknown>): void {
    this.#assertOpen(collection);
    const doc = this.#docOf(collection, id);
    this.#write(doc, () => {
      const entity = this.#entity(collectionMap(doc, collection), id);
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) entity.delete(key);
        else if (entity.get(key) !== value) entity.set(key, value);
      }
    });
  }

  #text(collection: CollectionName, id: EntityId, field: string): Y.Text {
    const doc = this.#docOf(collection, id);
    const entity = this.#entity(collectionMap(doc, collection), id);
    const value = entity.get(field);
    if (value instanceof Y.Text) return value;
    // Repair data a foreign client wrote as a plain value, keeping what it said.
    const text = new Y.Text(typeof value === 'string' ? value : '');
    this.#write(doc, () => entity.set(field, text));
    return text;
  }
}

/** A fresh, unintegrated copy of an entity map: texts, set maps and unknown keys included. */
function copyEntity(source: Y.Map<unknown>): EntityMap {
  const copy: EntityMap = new Y.Map();
  source.forEach((value, key) => copy.set(key, copyValue(value)));
  return copy;
}

function copyValue(value: unknown): unknown {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    value.forEach((v, k) => map.set(k, copyValue(v)));
    return map;
  }
  if (value instanceof Y.Array) return Y.Array.from(value.toArray().map(copyValue) as never[]);
  if (value instanceof Y.AbstractType) return value.toJSON();
  return value;
}

/** Whether `type` lies in one of the document's rich-text fragments (RICH_TEXT_FIELDS). */
function underRichText(doc: Y.Doc, type: YType): boolean {
  let root = type;
  while (root._item !== null) root = root._item.parent as YType;
  return RICH_TEXT_FIELDS.some((field) => doc.share.get(field) === root);
}

import * as Y from 'yjs';
import { z } from 'zod';
import { Domain, DomainStatus } from '../domain/assessment.ts';
import { NewCaseInput, SCHEMA_VERSION, type CaseMeta, type GoalLevel } from '../domain/case.ts';
import { newId, type EntityId } from '../domain/ids.ts';
import { keyAfterLast, keyAt } from '../domain/order.ts';
import { Acceptance, AcceptanceState, acceptanceKey } from '../domain/participants.ts';
import { PlanSettings } from '../domain/plan.ts';
import { COLLECTIONS, setFieldsOf, type CollectionName, type PatchOf, type TextFieldOf } from './collections.ts';
import { collectionMap, metaMap, rootMap, type EntityMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { readCase, type CaseView } from './read.ts';
import { yTextField, type TextField } from './textField.ts';

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
 * Typed read/write access to one case's Y.Doc. Every write is validated, then done in one
 * transaction with LOCAL_EDIT as origin; reads are validated (readCase) and cached until the
 * next change. `subscribe` follows the Svelte store contract.
 */
export class CaseDocument {
  readonly doc: Y.Doc;
  #view: CaseView | null = null;
  #listeners = new Set<Listener>();

  constructor(doc: Y.Doc) {
    this.doc = doc;
    doc.on('afterTransaction', this.#onChange);
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
    this.#listeners.clear();
  }

  view(): CaseView {
    this.#view ??= readCase(this.doc);
    return this.#view;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.view());
    return () => this.#listeners.delete(listener);
  }

  #onChange = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
    this.#view = null;
    if (this.#listeners.size === 0) return;
    const view = this.view();
    for (const listener of this.#listeners) listener(view);
  };

  /** Several writes as one change (one undo step, one update on the wire). */
  transact(fn: () => void): void {
    this.doc.transact(fn, LOCAL_EDIT);
  }

  // --- generic collections ------------------------------------------------

  add<C extends CollectionName>(collection: C, init: NewEntity<C> = {}): EntityId {
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
    this.transact(() => {
      const map: EntityMap = new Y.Map();
      for (const [key, value] of [...Object.entries(base), ...scalars]) map.set(key, value);
      // Every text field exists from the start: creating one lazily on two peers at once
      // would let one Y.Text replace the other and lose its characters.
      for (const [field, value] of texts) map.set(field, new Y.Text(value));
      // Likewise set-valued fields: two devices creating the map concurrently would lose a link.
      for (const field of setFieldsOf(collection)) map.set(field, new Y.Map());
      collectionMap(this.doc, collection).set(id, map);
    });
    return id;
  }

  update<C extends CollectionName>(collection: C, id: EntityId, patch: PatchOf<C>): void {
    const parsed = COLLECTIONS[collection].patch.parse(patch) as Record<string, unknown>;
    this.#patch(collectionMap(this.doc, collection), id, parsed);
  }

  text<C extends CollectionName>(collection: C, id: EntityId, field: TextFieldOf<C>): TextField {
    return yTextField(() => this.#text(collectionMap(this.doc, collection), id, field), LOCAL_EDIT);
  }

  remove(collection: CollectionName, id: EntityId): void {
    this.#patch(collectionMap(this.doc, collection), id, { deletedAt: Date.now() });
  }

  restore(collection: CollectionName, id: EntityId): void {
    this.#patch(collectionMap(this.doc, collection), id, { deletedAt: null });
  }

  move(collection: CollectionName, id: EntityId, toIndex: number, within?: (item: { id: string }) => boolean): void {
    const list = (this.view()[collection] as { id: string; order: string }[]).filter(within ?? (() => true));
    const others = list.filter((item) => item.id !== id).map((item) => item.order);
    const order = keyAt(others, toIndex);
    this.transact(() => this.#entity(collectionMap(this.doc, collection), id).set('order', order));
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
    const keySchema = setKeySchema(collection, field);
    if (!keySchema) throw new Error(`${collection}.${field} is not a set field`);
    const k = keySchema.parse(key) as string;
    this.transact(() => {
      const entity = this.#entity(collectionMap(this.doc, collection), id);
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
    collectionMap(this.doc, collection).forEach((entity) => {
      const order = entity instanceof Y.Map ? entity.get('order') : undefined;
      if (typeof order === 'string') keys.push(order);
    });
    return keys.sort();
  }

  #entity(root: Y.Map<unknown>, id: EntityId): EntityMap {
    const entity = root.get(id);
    if (!(entity instanceof Y.Map)) throw new Error(`No entry ${id}`);
    return entity;
  }

  /** `null` removes an optional field; `undefined` leaves it alone. */
  #patch(root: Y.Map<unknown>, id: EntityId, patch: Record<string, unknown>): void {
    this.transact(() => {
      const entity = this.#entity(root, id);
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) entity.delete(key);
        else if (entity.get(key) !== value) entity.set(key, value);
      }
    });
  }

  #text(root: Y.Map<unknown>, id: EntityId, field: string): Y.Text {
    const entity = this.#entity(root, id);
    const value = entity.get(field);
    if (value instanceof Y.Text) return value;
    // Repair data a foreign client wrote as a plain value, keeping what it said.
    const text = new Y.Text(typeof value === 'string' ? value : '');
    this.transact(() => entity.set(field, text));
    return text;
  }
}

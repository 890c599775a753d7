import * as Y from 'yjs';
import {
  GOAL_TEXT_FIELDS,
  GoalPatch,
  StepPatch,
  NewCaseInput,
  SCHEMA_VERSION,
  STEP_TEXT_FIELDS,
  type CaseMeta,
  type GoalLevel,
  type GoalStatus,
  type GoalTextField,
  type StepStatus,
  type StepTextField,
} from '../domain/case.ts';
import { newId, type EntityId } from '../domain/ids.ts';
import { keyAfterLast, keyAt } from '../domain/order.ts';
import { goalsMap, metaMap, stepsMap, type EntityMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { readCase, type CaseView } from './read.ts';
import { yTextField, type TextField } from './textField.ts';


type Listener = (view: CaseView) => void;

/**
 * Typed read/write access to one case's Y.Doc. Every write is one transaction with
 * LOCAL_EDIT as origin; reads are validated (readCase) and cached until the next change.
 * `subscribe` follows the Svelte store contract so components can use `$caseDoc`.
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

  #write(fn: () => void): void {
    this.doc.transact(fn, LOCAL_EDIT);
  }

  // --- meta -------------------------------------------------------------

  setDisplayName(name: string): void {
    const value = NewCaseInput.shape.displayName.parse(name);
    this.#write(() => metaMap(this.doc).set('displayName', value));
  }

  // --- goals ------------------------------------------------------------

  addGoal(level: GoalLevel, title = ''): EntityId {
    return this.#addEntity(goalsMap(this.doc), this.view().goals, GOAL_TEXT_FIELDS, { title }, {
      level,
      status: 'offen' satisfies GoalStatus,
    });
  }

  updateGoal(id: EntityId, patch: GoalPatch): void {
    this.#patch(goalsMap(this.doc), id, GoalPatch.parse(patch));
  }

  goalText(id: EntityId, field: GoalTextField): TextField {
    return yTextField(() => this.#text(goalsMap(this.doc), id, field), LOCAL_EDIT);
  }

  removeGoal(id: EntityId): void {
    this.#patch(goalsMap(this.doc), id, { deletedAt: Date.now() });
  }

  restoreGoal(id: EntityId): void {
    this.#patch(goalsMap(this.doc), id, { deletedAt: null });
  }

  moveGoal(id: EntityId, toIndex: number): void {
    this.#move(goalsMap(this.doc), this.view().goals, id, toIndex);
  }

  // --- steps ------------------------------------------------------------

  addStep(what = '', goalId?: EntityId): EntityId {
    return this.#addEntity(stepsMap(this.doc), this.view().steps, STEP_TEXT_FIELDS, { what }, {
      status: 'offen' satisfies StepStatus,
      ...(goalId ? { goalId } : {}),
    });
  }

  updateStep(id: EntityId, patch: StepPatch): void {
    this.#patch(stepsMap(this.doc), id, StepPatch.parse(patch));
  }

  stepText(id: EntityId, field: StepTextField): TextField {
    return yTextField(() => this.#text(stepsMap(this.doc), id, field), LOCAL_EDIT);
  }

  removeStep(id: EntityId): void {
    this.#patch(stepsMap(this.doc), id, { deletedAt: Date.now() });
  }

  restoreStep(id: EntityId): void {
    this.#patch(stepsMap(this.doc), id, { deletedAt: null });
  }

  moveStep(id: EntityId, toIndex: number): void {
    this.#move(stepsMap(this.doc), this.view().steps, id, toIndex);
  }

  // --- shared mechanics -------------------------------------------------

  #addEntity(
    root: Y.Map<unknown>,
    siblings: readonly { order: string }[],
    textFields: readonly string[],
    texts: Record<string, string>,
    scalars: Record<string, unknown>,
  ): EntityId {
    const id = newId();
    this.#write(() => {
      const entity: EntityMap = new Y.Map();
      entity.set('id', id);
      entity.set('order', keyAfterLast(siblings.map((s) => s.order)));
      entity.set('createdAt', Date.now());
      for (const [key, value] of Object.entries(scalars)) entity.set(key, value);
      // Every text field exists from the start: creating one lazily on two peers at once
      // would let one Y.Text replace the other and lose its characters.
      for (const field of textFields) entity.set(field, new Y.Text(texts[field] ?? ''));
      root.set(id, entity);
    });
    return id;
  }

  #entity(root: Y.Map<unknown>, id: EntityId): EntityMap {
    const entity = root.get(id);
    if (!(entity instanceof Y.Map)) throw new Error(`No entry ${id}`);
    return entity;
  }

  /** `null` removes an optional field; `undefined` leaves it alone. */
  #patch(root: Y.Map<unknown>, id: EntityId, patch: Record<string, unknown>): void {
    this.#write(() => {
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
    this.#write(() => entity.set(field, text));
    return text;
  }

  #move(root: Y.Map<unknown>, list: readonly { id: string; order: string }[], id: EntityId, toIndex: number): void {
    const others = list.filter((item) => item.id !== id).map((item) => item.order);
    const order = keyAt(others, toIndex);
    this.#write(() => this.#entity(root, id).set('order', order));
  }
}

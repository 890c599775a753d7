import * as Y from 'yjs';
import type { CaseDocument } from '../../../../src/case/caseDocument.ts';
import { collectionMap, richTextFragment } from '../../../../src/case/layout.ts';
import { LOCAL_EDIT } from '../../../../src/case/origin.ts';
import { DOMAINS, DomainStatus } from '../../../../src/domain/assessment.ts';
import type { Ledger } from './ledger.ts';
import { positionOf } from './ledger.ts';
import type { Rng } from './random.ts';
import type { Replica } from './replica.ts';

/** CJK ideographs: 20,992 distinct characters, one per typed character of a run. */
const FIRST_CHAR = 0x4e00;
const CHAR_COUNT = 20_992;

/** Hands out characters never used before in this run, so every typed character is traceable. */
export class Chars {
  #next: number;
  #end: number;
  /** Replicas in separate processes each take their own range (`start`, `count`). */
  constructor(start = 0, count = CHAR_COUNT) {
    this.#next = start;
    this.#end = Math.min(CHAR_COUNT, start + count);
  }
  take(n: number): string {
    if (this.#next + n > this.#end) throw new Error('run typed more characters than the generator can tell apart');
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(FIRST_CHAR + this.#next++);
    return s;
  }
}

const GOAL_STATUS = ['offen', 'in_arbeit', 'erreicht', 'nicht_erreicht', 'zurueckgestellt', 'abgelehnt'] as const;
const STEP_STATUS = ['offen', 'in_arbeit', 'erledigt', 'entfallen'] as const;
const GOAL_TEXTS = ['title', 'clientWords', 'indicator', 'missedReason'] as const;
const STEP_TEXTS = ['what', 'who', 'criterion', 'gapDescription', 'condition'] as const;

/** Fields of each collection whose writes the check follows (last writer wins per field). */
export const TRACKED = {
  goals: ['level', 'status', 'due', 'order', 'deletedAt'],
  steps: ['status', 'due', 'cost', 'ownActivity', 'goalId', 'order', 'deletedAt'],
} as const;
type Tracked = keyof typeof TRACKED;

function date(rng: Rng): string {
  return `2027-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`;
}

function rawEntity(doc: Y.Doc, collection: Tracked, id: string): Y.Map<unknown> | undefined {
  const value = collectionMap(doc, collection).get(id);
  return value instanceof Y.Map ? value : undefined;
}

/** Ids this replica holds, in creation order (not view order: the pick then follows the seed). */
function held(ledger: Ledger, r: Replica, collection: Tracked): string[] {
  return (ledger.entities.get(collection) ?? []).filter((id) => rawEntity(r.doc, collection, id));
}

/**
 * A patch through the case API; each field whose local value it changes is recorded as a
 * write (CaseDocument writes only what differs, and so does this record).
 */
function patch(ledger: Ledger, r: Replica, collection: Tracked, id: string, fields: Record<string, unknown>, apply: () => void): void {
  const entity = rawEntity(r.doc, collection, id)!;
  const at = positionOf(r.doc);
  const changed = Object.entries(fields).filter(([k, v]) => (v === null ? entity.has(k) : entity.get(k) !== v));
  apply();
  for (const [k, v] of changed) ledger.write(`${collection}/${id}/${k}`, v === null ? undefined : v, at);
}

function recordAdd(ledger: Ledger, r: Replica, collection: Tracked, id: string, at: ReturnType<typeof positionOf>): void {
  ledger.created(collection, id);
  const entity = rawEntity(r.doc, collection, id)!;
  for (const field of TRACKED[collection]) ledger.write(`${collection}/${id}/${field}`, entity.get(field), at);
  entity.forEach((value, key) => {
    if (value instanceof Y.Text) ledger.textEdit(`${collection}/${id}/${key}`, '', value.toString());
  });
}

function editText(rng: Rng, chars: Chars, ledger: Ledger, caseDoc: CaseDocument, collection: Tracked, id: string, field: string): void {
  const text = caseDoc.text(collection, id, field as never);
  const before = text.value();
  let next: string;
  const pos = rng.int(before.length + 1);
  const kind = before.length === 0 ? 0 : rng.int(3);
  if (kind === 0) next = before.slice(0, pos) + chars.take(1 + rng.int(4)) + before.slice(pos);
  else {
    const end = Math.min(before.length, pos + 1 + rng.int(3));
    next = before.slice(0, pos) + (kind === 2 ? chars.take(1 + rng.int(3)) : '') + before.slice(end);
  }
  text.set(next);
  ledger.textEdit(`${collection}/${id}/${field}`, before, text.value());
}

function paragraphKey(p: Y.XmlElement): string {
  return `${p._item!.id.client}:${p._item!.id.clock}`;
}

function textOf(p: Y.XmlElement): Y.XmlText | undefined {
  const first = p.get(0);
  return first instanceof Y.XmlText ? first : undefined;
}

/** Plain characters of a paragraph (formatting left out). */
export function paragraphChars(p: Y.XmlElement): string {
  const t = textOf(p);
  if (!t) return '';
  return (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
}

/**
 * Rich-text edits on the Ausgangslage fragment in the shape Tiptap writes (paragraph elements
 * holding one XmlText): the Tiptap binding itself needs a DOM, the document structure does not.
 */
function editRich(rng: Rng, chars: Chars, ledger: Ledger, r: Replica): void {
  const fragment = richTextFragment(r.doc, 'ausgangslage');
  const paragraphs = fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
  const kind = paragraphs.length === 0 ? 0 : rng.int(10);
  r.doc.transact(() => {
    if (kind === 0) {
      const p = new Y.XmlElement('paragraph');
      fragment.insert(rng.int(fragment.length + 1), [p]);
      const t = new Y.XmlText();
      p.insert(0, [t]);
      const s = chars.take(1 + rng.int(4));
      t.insert(0, s);
      for (const c of s) ledger.rich.inserted.set(c, paragraphKey(p));
      return;
    }
    const p = rng.pick(paragraphs);
    const t = textOf(p);
    if (kind === 1) {
      ledger.rich.deletedParagraphs.add(paragraphKey(p));
      for (const c of paragraphChars(p)) ledger.rich.deleted.add(c);
      fragment.delete(fragment.toArray().indexOf(p), 1);
      return;
    }
    if (!t) return;
    const before = paragraphChars(p);
    const pos = rng.int(before.length + 1);
    if (kind <= 5 || before.length === 0) {
      const s = chars.take(1 + rng.int(4));
      t.insert(pos, s, rng.chance(0.3) ? { bold: true } : undefined);
      for (const c of s) ledger.rich.inserted.set(c, paragraphKey(p));
    } else if (kind <= 8) {
      const n = Math.min(before.length - pos, 1 + rng.int(3));
      for (const c of before.slice(pos, pos + n)) ledger.rich.deleted.add(c);
      t.delete(pos, n);
    } else {
      t.format(pos, Math.min(before.length - pos, 1 + rng.int(4)), { italic: rng.chance(0.5) ? true : null });
    }
  }, LOCAL_EDIT);
}

/** One random edit on replica `r` through the case API, recorded in `ledger`. */
export function randomEdit(rng: Rng, chars: Chars, ledger: Ledger, r: Replica): void {
  const c = r.caseDoc;
  const goals = held(ledger, r, 'goals');
  const steps = held(ledger, r, 'steps');
  const roll = rng.int(100);
  ledger.edits++;
  if (roll < 8 || goals.length === 0) {
    const at = positionOf(r.doc);
    const id = c.addGoal(rng.chance(0.3) ? 'haupt' : 'teil', chars.take(rng.int(4)));
    recordAdd(ledger, r, 'goals', id, at);
  } else if (roll < 16 || steps.length === 0) {
    const at = positionOf(r.doc);
    const id = c.addStep(chars.take(rng.int(4)), rng.chance(0.5) ? rng.pick(goals) : undefined);
    recordAdd(ledger, r, 'steps', id, at);
  } else if (roll < 46) {
    const onGoal = rng.chance(0.5);
    const id = rng.pick(onGoal ? goals : steps);
    editText(rng, chars, ledger, c, onGoal ? 'goals' : 'steps', id, rng.pick(onGoal ? GOAL_TEXTS : STEP_TEXTS));
  } else if (roll < 54) {
    const id = rng.pick(goals);
    const fields = rng.chance(0.5)
      ? { status: rng.pick(GOAL_STATUS) }
      : rng.chance(0.7)
        ? { due: rng.chance(0.8) ? date(rng) : null }
        : { level: rng.chance(0.5) ? 'haupt' : 'teil' };
    patch(ledger, r, 'goals', id, fields, () => c.updateGoal(id, fields as never));
  } else if (roll < 62) {
    const id = rng.pick(steps);
    const which = rng.int(5);
    const fields =
      which === 0 ? { status: rng.pick(STEP_STATUS) }
      : which === 1 ? { due: rng.chance(0.8) ? date(rng) : null }
      : which === 2 ? { cost: rng.chance(0.8) ? rng.int(5000) : null }
      : which === 3 ? { ownActivity: rng.chance(0.5) }
      : { goalId: rng.chance(0.7) ? rng.pick(goals) : null };
    patch(ledger, r, 'steps', id, fields, () => c.updateStep(id, fields as never));
  } else if (roll < 68) {
    const collection = rng.chance(0.5) ? 'goals' : 'steps';
    const id = rng.pick(collection === 'goals' ? goals : steps);
    const removed = rawEntity(r.doc, collection, id)!.has('deletedAt');
    const at = positionOf(r.doc);
    if (removed) c.restore(collection, id);
    else c.remove(collection, id);
    ledger.write(`${collection}/${id}/deletedAt`, rawEntity(r.doc, collection, id)!.get('deletedAt'), at);
  } else if (roll < 76) {
    const collection = rng.chance(0.5) ? 'goals' : 'steps';
    const live = new Set((c.view()[collection] as { id: string }[]).map((e) => e.id));
    const candidates = (collection === 'goals' ? goals : steps).filter((id) => live.has(id));
    if (candidates.length === 0) return;
    const id = rng.pick(candidates);
    const at = positionOf(r.doc);
    if (collection === 'goals') c.moveGoal(id, rng.int(candidates.length));
    else c.moveStep(id, rng.int(candidates.length));
    ledger.write(`${collection}/${id}/order`, rawEntity(r.doc, collection, id)!.get('order'), at);
  } else if (roll < 80) {
    const domain = rng.pick(DOMAINS);
    const status = rng.pick(DomainStatus.options);
    const at = positionOf(r.doc);
    // setDomainStatus writes even an unchanged status: a write all the same (it can win
    // against a concurrent one).
    c.setDomainStatus(domain, status);
    ledger.write(`domains/${domain}`, status, at);
  } else if (roll < 84) {
    const next = rng.chance(0.8) ? date(rng) : null;
    const at = positionOf(r.doc);
    const had = r.doc.getMap('plan').has('nextReview');
    c.setPlan({ nextReview: next });
    if (next !== null || had) ledger.write('plan/nextReview', next ?? undefined, at);
  } else {
    editRich(rng, chars, ledger, r);
  }
}

import * as Y from 'yjs';
import { z } from 'zod';
import {
  ClientFeedback,
  ClosedRecord,
  ClosureStart,
  EMPTY_CLOSURE,
  GoalAttainment,
  PartnerFeedback,
  ReasonEntry,
  missingBeforeClosing,
  type Closure,
  type ClosureReason,
  type FeedbackDirection,
} from '../domain/closure.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { CaseDocument } from './caseDocument.ts';
import { rootMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { plain, rawText, type Quarantined } from './read.ts';
import { yTextField, type TextField } from './textField.ts';

/**
 * Closure in the case documents (root map `closure`, docs/case-schema.md). Each key has one
 * writer at a time, so plain values (current state, last writer wins) are enough; only the
 * aftercare agreements are co-written live at the table and are a Y.Text:
 *   `started`                        ClosureStart; written once with the `aftercare` Y.Text
 *   `aftercare`                      Y.Text
 *   `reason`                         ReasonEntry
 *   `attainment:<goalId>`            GoalAttainment, in the document (scope) of that goal, so a
 *                                    note on a restricted goal never reaches a partner
 *   `feedback:<participantId>`       ClientFeedback, in the confidential document when this
 *                                    device holds it (case manager and client only)
 *   `partner:<partnerId>:<direction>` PartnerFeedback
 *   `closed`                         ClosedRecord; once it validates, the case is closed
 * Remote peers may write anything: reads validate each entry and quarantine what fails.
 */

/** A write to a closed case. The UI never offers one; this guards the API itself. */
export class CaseClosedError extends Error {
  constructor() {
    super('The case is closed: it can no longer be changed.');
    this.name = 'CaseClosedError';
  }
}

export interface ClosureState extends Closure {
  quarantine: Quarantined[];
}

const KEY = /^(started|aftercare|reason|closed|attainment:([0-9a-f-]{36})|feedback:([0-9a-f-]{36})|partner:([0-9a-f-]{36}):(vomPartner|anPartner))$/;

/** Display text of a quarantined entry; never throws (see rawText: a peer's bigint in an object without prototype). */
const rawOf = rawText;

function reasonOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Whether the shared document `doc` records a valid closure: the read-only switch. */
export function isClosedDoc(doc: Y.Doc): boolean {
  // Asked before every write: an open case (no entry) costs one map lookup, no validation.
  const value = rootMap(doc, 'closure').get('closed');
  return value !== undefined && ClosedRecord.safeParse(plain(value)).success;
}

/**
 * Everything closure recorded in the shared document `doc` and the scope documents `more`
 * (attainments of restricted goals, the client's feedback). `readClosure(doc)` alone gives the
 * shared part: whether and when the case was closed, and why (enough for the case list).
 */
export function readClosure(doc: Y.Doc, more: Iterable<Y.Doc> = []): ClosureState {
  const state: ClosureState = { ...EMPTY_CLOSURE, attainments: {}, feedback: [], partnerFeedback: [], quarantine: [] };
  const feedback = new Map<string, ClientFeedback>();
  let index = 0;
  for (const source of [doc, ...more]) {
    const shared = index++ === 0;
    rootMap(source, 'closure').forEach((value, key) => {
      const where = shared ? `closure/${key}` : `closure(scope)/${key}`;
      const match = KEY.exec(key);
      const data = plain(value);
      const bad = (reason: string) => void state.quarantine.push({ where, reason, raw: rawOf(data) });
      if (!match) return bad('unknown key');
      // The case-wide entries count only in the shared document, where everyone reads them.
      if (!shared && !key.startsWith('attainment:') && !key.startsWith('feedback:')) return bad('belongs in the shared document');
      if (key === 'aftercare') {
        if (value instanceof Y.Text) state.aftercare = value.toString();
        else bad('not a text');
        return;
      }
      const schema: z.ZodType =
        key === 'started' ? ClosureStart
        : key === 'reason' ? ReasonEntry
        : key === 'closed' ? ClosedRecord
        : match[2] ? GoalAttainment
        : match[3] ? ClientFeedback
        : PartnerFeedback;
      const parsed = schema.safeParse(data);
      if (!parsed.success) return bad(reasonOf(parsed.error));
      const entry = parsed.data as Record<string, unknown>;
      if (match[2] && entry.goalId !== match[2]) return bad('entry does not match its key');
      if (match[3] && entry.participantId !== match[3]) return bad('entry does not match its key');
      if (match[4] && (entry.partnerId !== match[4] || entry.direction !== match[5])) return bad('entry does not match its key');
      if (key === 'started') state.started = parsed.data as ClosureStart;
      else if (key === 'reason') state.reason = parsed.data as ReasonEntry;
      else if (key === 'closed') state.closed = parsed.data as ClosedRecord;
      else if (match[2]) state.attainments[match[2]] = parsed.data as GoalAttainment;
      else if (match[3]) {
        // The same client on two devices, or a copy in two documents: the later answer counts.
        const earlier = feedback.get(match[3]);
        if (!earlier || earlier.at <= (parsed.data as ClientFeedback).at) feedback.set(match[3], parsed.data as ClientFeedback);
      } else state.partnerFeedback.push(parsed.data as PartnerFeedback);
    });
  }
  state.feedback = [...feedback.values()].sort((a, b) => a.at - b.at);
  state.partnerFeedback.sort((a, b) => (a.partnerId + a.direction < b.partnerId + b.direction ? -1 : 1));
  return state;
}

/**
 * Closure through the case API (`caseDoc.closure`): the UI never touches Yjs. Every write is
 * validated first and refused once the case is closed: after closing nothing changes.
 */
export class CaseClosure {
  readonly #caseDoc: CaseDocument;
  #last: { json: string; state: ClosureState } | null = null;

  constructor(caseDoc: CaseDocument) {
    this.#caseDoc = caseDoc;
  }

  get #doc(): Y.Doc {
    return this.#caseDoc.doc;
  }

  /** The current closure; the same object as long as nothing in it changed. */
  read(): ClosureState {
    const docs = this.#caseDoc.scopes().flatMap((s) => (s === 'shared' ? [] : [this.#caseDoc.scopeDoc(s)!]));
    const state = readClosure(this.#doc, docs);
    const json = JSON.stringify(state);
    if (this.#last?.json !== json) this.#last = { json, state };
    return this.#last.state;
  }

  isClosed(): boolean {
    return isClosedDoc(this.#doc);
  }

  /** Follows the closure (store contract: called at once, then on each change of it). */
  subscribe(listener: (closure: ClosureState) => void): () => void {
    let last: ClosureState | null = null;
    return this.#caseDoc.subscribe(() => {
      const next = this.read();
      if (next !== last) listener((last = next));
    });
  }

  /** Begins closure: the closing fields and the client's feedback form open. */
  start(by?: string): void {
    const value = ClosureStart.parse({ at: Date.now(), ...(by ? { by } : {}) });
    this.#write(this.#doc, (map) => {
      if (map.has('started')) return;
      map.set('started', value);
      // Created once, with the start: two devices creating it at once would lose one's text.
      if (!(map.get('aftercare') instanceof Y.Text)) map.set('aftercare', new Y.Text());
    });
  }

  setReason(reason: ClosureReason, text = ''): void {
    const value = ReasonEntry.parse({ reason, text, at: Date.now() });
    this.#write(this.#doc, (map) => map.set('reason', value));
  }

  /** Recorded in the goal's own document: its note is as private as the goal. */
  setAttainment(goalId: string, attainment: GoalAttainment['attainment'], note = ''): void {
    const value = GoalAttainment.parse({ goalId, attainment, note, at: Date.now() });
    const doc = this.#caseDoc.scopeDoc(this.#caseDoc.scopeOf(goalId)) ?? this.#doc;
    this.#write(doc, (map) => map.set(`attainment:${value.goalId}`, value));
  }

  /** The client's own answers, from the client's device; kept with the case manager and client. */
  setClientFeedback(feedback: { participantId: string; answers: ClientFeedback['answers']; better: string }): void {
    const value = ClientFeedback.parse({ ...feedback, at: Date.now() });
    const doc = this.#caseDoc.scopeDoc('confidential') ?? this.#doc;
    this.#write(doc, (map) => map.set(`feedback:${value.participantId}`, value));
  }

  setPartnerFeedback(partnerId: string, direction: FeedbackDirection, text: string): void {
    const value = PartnerFeedback.parse({ partnerId, direction, text, at: Date.now() });
    this.#write(this.#doc, (map) => map.set(`partner:${value.partnerId}:${value.direction}`, value));
  }

  /** The aftercare agreements, co-written live (exists once closure has started). */
  aftercare(): TextField {
    const field = yTextField(() => {
      const text = rootMap(this.#doc, 'closure').get('aftercare');
      // Before the start has arrived here, a detached text: reading gives '' and writing is refused below.
      return text instanceof Y.Text ? text : new Y.Doc().getText('aftercare');
    }, LOCAL_EDIT);
    return {
      ...field,
      set: (next) => {
        if (this.isClosed()) throw new CaseClosedError();
        if (!(rootMap(this.#doc, 'closure').get('aftercare') instanceof Y.Text)) throw new Error('closure has not started');
        field.set(next);
      },
    };
  }

  /**
   * Closes the case, when nothing is missing (missingBeforeClosing). From then on every write
   * through the case API is refused. A device that edited offline and meets the others later
   * still merges (a CRDT cannot refuse), but no device offers editing after the closure arrives.
   */
  close(input: { on: IsoDate; retentionUntil: IsoDate; by?: string }, liveGoalIds: readonly string[]): void {
    const value = ClosedRecord.parse({ at: Date.now(), ...input });
    const gaps = missingBeforeClosing(this.read(), liveGoalIds, { on: value.on, until: value.retentionUntil });
    if (gaps.length > 0) throw new Error(`closure incomplete: ${gaps.map((g) => g.kind).join(', ')}`);
    this.#write(this.#doc, (map) => map.set('closed', value));
  }

  #write(doc: Y.Doc, fn: (map: Y.Map<unknown>) => void): void {
    if (this.isClosed()) throw new CaseClosedError();
    doc.transact(() => fn(rootMap(doc, 'closure')), LOCAL_EDIT);
  }
}

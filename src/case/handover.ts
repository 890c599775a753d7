import * as Y from 'yjs';
import { z } from 'zod';
import { Team } from '../domain/case.ts';
import { byOrder } from '../domain/entity.ts';
import {
  HandoverItem,
  HandoverNote,
  HandoverOffer,
  HandoverReceipt,
  HandoverStart,
  HandoverTransfer,
  Takeover,
  type HandoverItemKind,
} from '../domain/handover.ts';
import { EntityId, newId } from '../domain/ids.ts';
import { keyAfterLast } from '../domain/order.ts';
import { metaMap, rootMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { plain, rawText, type Quarantined } from './read.ts';
import { yTextField, type TextField } from './textField.ts';

/**
 * The warm handover in the shared document (root map `handover`, docs/case-schema.md):
 *   `start`              HandoverStart, written once by the outgoing case manager
 *   `message`            Y.Text: what the client wants the new case manager to know
 *   `item:<id>`          Y.Map of a HandoverItem; `text` and `replacement` are Y.Text, so the
 *                        record is written together, character by character
 *   `takeover:<stepId>`  Takeover: who takes over that open step
 *   `offer`, `receipt`, `transfer`, `ack`, `release`: signed plain objects (src/app/handover.ts)
 * Any peer may write anything: reads validate each entry and quarantine what fails.
 */

export interface HandoverState {
  start: HandoverStart | null;
  message: string;
  items: HandoverItem[];
  takeovers: Map<string, Takeover>;
  offer: HandoverOffer | null;
  receipt: HandoverReceipt | null;
  transfer: HandoverTransfer | null;
  ack: HandoverNote | null;
  release: HandoverNote | null;
  quarantine: Quarantined[];
}

export type ProtocolKey = 'offer' | 'receipt' | 'transfer' | 'ack' | 'release';

const PROTOCOL: { [K in ProtocolKey]: z.ZodType } = {
  offer: HandoverOffer,
  receipt: HandoverReceipt,
  transfer: HandoverTransfer,
  ack: HandoverNote,
  release: HandoverNote,
};

/** Display text of a quarantined entry; never throws (see rawText: a peer's bigint in an object without prototype). */
const raw = rawText;

function reason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function handoverMap(doc: Y.Doc): Y.Map<unknown> {
  return rootMap(doc, 'handover');
}

/** Every valid entry of the `handover` map; whatever does not validate is quarantined. */
export function readHandover(doc: Y.Doc): HandoverState {
  const state: HandoverState = {
    start: null,
    message: '',
    items: [],
    takeovers: new Map(),
    offer: null,
    receipt: null,
    transfer: null,
    ack: null,
    release: null,
    quarantine: [],
  };
  handoverMap(doc).forEach((value, key) => {
    const where = `handover/${key}`;
    const data = plain(value);
    const fail = (why: string) => void state.quarantine.push({ where, reason: why, raw: raw(data) });
    if (key === 'message') {
      if (value instanceof Y.Text) state.message = value.toString();
      else fail('not a text');
      return;
    }
    if (key === 'start') {
      const parsed = HandoverStart.safeParse(data);
      if (parsed.success) state.start = parsed.data;
      else fail(reason(parsed.error));
      return;
    }
    if (key in PROTOCOL) {
      const parsed = PROTOCOL[key as ProtocolKey].safeParse(data);
      if (parsed.success) (state as unknown as Record<string, unknown>)[key] = parsed.data;
      else fail(reason(parsed.error));
      return;
    }
    const [prefix, id] = key.split(':', 2) as [string, string | undefined];
    if (prefix === 'item' && id) {
      const parsed = HandoverItem.safeParse(data);
      if (!parsed.success) return fail(reason(parsed.error));
      if (parsed.data.id !== id) return fail('entry does not match its key');
      state.items.push(parsed.data);
      return;
    }
    if (prefix === 'takeover' && id) {
      const parsed = Takeover.safeParse(data);
      if (!parsed.success) return fail(reason(parsed.error));
      if (parsed.data.stepId !== id) return fail('entry does not match its key');
      state.takeovers.set(id, parsed.data);
      return;
    }
    fail('unknown key');
  });
  state.items.sort(byOrder);
  return state;
}

function transact(doc: Y.Doc, fn: (map: Y.Map<unknown>) => void): void {
  doc.transact(() => fn(handoverMap(doc)), LOCAL_EDIT);
}

/** Starts the handover once: the start entry and the client's (empty) message. */
export function writeStart(doc: Y.Doc, start: HandoverStart): void {
  const value = HandoverStart.parse(start);
  transact(doc, (map) => {
    if (map.has('start')) return;
    map.set('start', value);
    if (!(map.get('message') instanceof Y.Text)) map.set('message', new Y.Text());
  });
}

/** The client's message as a collaborative text field (empty until the handover started). */
export function messageField(doc: Y.Doc): TextField {
  return yTextField(() => {
    const text = handoverMap(doc).get('message');
    if (text instanceof Y.Text) return text;
    throw new Error('the handover has not started');
  }, LOCAL_EDIT);
}

/** Adds a line to the record; returns its id. */
export function addItem(doc: Y.Doc, kind: HandoverItemKind, text = '', now = Date.now()): string {
  const id = newId();
  const order = keyAfterLast(readHandover(doc).items.map((i) => i.order).sort());
  transact(doc, (map) => {
    const entity = new Y.Map<unknown>();
    entity.set('id', id);
    entity.set('order', order);
    entity.set('createdAt', now);
    entity.set('kind', kind);
    entity.set('text', new Y.Text(text));
    entity.set('replacement', new Y.Text());
    map.set(`item:${id}`, entity);
  });
  return id;
}

function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const entity = handoverMap(doc).get(`item:${EntityId.parse(id)}`);
  if (!(entity instanceof Y.Map)) throw new Error(`no handover item ${id}`);
  return entity;
}

/** A line's text or replacement as a collaborative text field. */
export function itemField(doc: Y.Doc, id: string, field: 'text' | 'replacement'): TextField {
  return yTextField(() => {
    const text = itemMap(doc, id).get(field);
    if (text instanceof Y.Text) return text;
    throw new Error(`handover item ${id} has no ${field}`);
  }, LOCAL_EDIT);
}

/** Removes a line softly (a concurrent edit elsewhere is never lost; the map stays). */
export function removeItem(doc: Y.Doc, id: string, now = Date.now()): void {
  const entity = itemMap(doc, id);
  doc.transact(() => entity.set('deletedAt', now), LOCAL_EDIT);
}

/** Who takes over an open step; `null` clears it. */
export function setTakeover(doc: Y.Doc, stepId: string, participantId: string | null, now = Date.now()): void {
  const key = `takeover:${EntityId.parse(stepId)}`;
  transact(doc, (map) => {
    if (participantId === null) map.delete(key);
    else map.set(key, Takeover.parse({ stepId, participantId, at: now }));
  });
}

/** Writes one signed protocol entry (validated; the signature is checked by its readers). */
export function writeProtocol(doc: Y.Doc, key: ProtocolKey, value: unknown): void {
  const parsed = PROTOCOL[key].parse(value);
  transact(doc, (map) => map.set(key, parsed));
}

/** The case moves to another team (the handover U25 → Ü25 moves it to `Ü25`). */
export function writeTeam(doc: Y.Doc, team: Team): void {
  const value = Team.parse(team);
  doc.transact(() => metaMap(doc).set('team', value), LOCAL_EDIT);
}

/** Calls `listener` after every change inside the `handover` map; returns the stop function. */
export function observeHandover(doc: Y.Doc, listener: () => void): () => void {
  const map = handoverMap(doc);
  const handler = () => listener();
  map.observeDeep(handler);
  return () => map.unobserveDeep(handler);
}

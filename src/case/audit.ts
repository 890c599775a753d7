import * as Y from 'yjs';
import { utf8 } from '../crypto/bytes.ts';
import { canonicalJson } from '../crypto/canonical.ts';
import { fingerprint as fingerprintOf, verifyBytes, type PublicKeys } from '../crypto/identity.ts';
import {
  actionOf,
  AUDITED_COLLECTIONS,
  AuditClaim,
  AuditDeviceKeys,
  AuditEntry,
  byTime,
  coalesces,
  MAX_FIELDS,
  type AuditedCollection,
  type AuditRecord,
  type ObservedChange,
} from '../domain/audit.ts';
import type { Role } from '../domain/roles.ts';
import type { ScopeId } from '../domain/visibility.ts';
import type { CaseDocument } from './caseDocument.ts';
import { ROOT } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';

/**
 * The audit trail in the case's documents (docs/case-schema.md, "Audit trail").
 *
 * A recorder watches this device's own edits (transactions with the LOCAL_EDIT origin) to
 * goals, steps and assessment items and appends a signed entry to the `audit` map of the
 * document the item lives in, so an item restricted to a scope leaves its trail only in that
 * scope's document. Remote changes are never recorded here: every device records its own.
 *
 * Bounded: typing in the same fields of one item within COALESCE_MS is one entry (the entry
 * under the same key is replaced, so compaction drops the superseded versions); an entry is
 * a few hundred bytes. Each device stores its public keys once per document (`auditDevices`).
 */

export interface AuditSigner {
  fingerprint: string;
  keys: PublicKeys;
  sign(bytes: Uint8Array): Promise<string>;
  /** Who this device is at the table right now (unknown before the first conference). */
  who(): { participantId?: string; name?: string; role?: Role };
}

/**
 * A coalesced entry is rewritten at most this often while someone types: each rewrite is an
 * update every peer receives and a re-read of the case, so not one per keystroke. The last
 * rewrite of a typing session follows at most this long after the last keystroke.
 */
export const REWRITE_EVERY_MS = 3_000;

/** Origin of the recorder's own writes: not LOCAL_EDIT, so they are not audited themselves. */
export const AUDIT_WRITE = Symbol('runder-tisch/audit-write');

type TypeWithItem = Y.AbstractType<any> & { _item: { parent: unknown; parentSub: string | null } | null };

/** Which audited collection root `type` is in `doc`, if any. */
function rootName(doc: Y.Doc, type: Y.AbstractType<any>): AuditedCollection | null {
  for (const name of AUDITED_COLLECTIONS) if (doc.share.get(name) === type) return name;
  return null;
}

/**
 * The changes one transaction made to audited items of `doc`: items that appeared or left a
 * collection, and the fields that changed (a text field's key when its Y.Text changed).
 */
export function observeChanges(doc: Y.Doc, tr: Y.Transaction): ObservedChange[] {
  const out = new Map<string, ObservedChange & { fieldSet: Set<string> }>();
  const touch = (collection: AuditedCollection, entityId: string, presence: ObservedChange['presence']) => {
    const key = `${collection}/${entityId}`;
    let change = out.get(key);
    if (!change) {
      change = { collection, entityId, presence, fields: [], fieldSet: new Set() };
      out.set(key, change);
    }
    if (presence !== 'same') change.presence = presence;
    return change;
  };
  for (const [type, keys] of tr.changed) {
    const root = rootName(doc, type);
    if (root) {
      for (const key of keys) {
        if (key === null) continue;
        touch(root, key, type instanceof Y.Map && type.has(key) ? 'added' : 'deleted');
      }
      continue;
    }
    // Climb to the collection root, remembering the last two keys: entity id and field.
    const path: string[] = [];
    let current = type as TypeWithItem;
    let collection: AuditedCollection | null = null;
    while (current._item) {
      if (current._item.parentSub === null) break; // inside an array: not an entity field
      path.push(current._item.parentSub);
      const parent = current._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      collection = rootName(doc, parent);
      if (collection) break;
      current = parent as TypeWithItem;
    }
    if (!collection || path.length === 0) continue;
    const entityId = path[path.length - 1]!;
    const change = touch(collection, entityId, 'same');
    if (path.length >= 2) change.fieldSet.add(path[path.length - 2]!);
    else for (const key of keys) if (key !== null) change.fieldSet.add(key);
  }
  return [...out.values()].map(({ fieldSet, ...change }) => {
    const fields = [...fieldSet].filter((f) => /^[A-Za-z][A-Za-z0-9]{0,40}$/.test(f)).sort().slice(0, MAX_FIELDS);
    const entity = (doc.share.get(change.collection) as Y.Map<unknown> | undefined)?.get(change.entityId);
    const deletedAtSet = entity instanceof Y.Map ? entity.get('deletedAt') !== undefined : false;
    return { ...change, fields, deletedAtSet };
  });
}

function auditMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.audit);
}
function devicesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.auditDevices);
}

/** Records this device's edits of one case; `stop()` detaches it. */
export class AuditRecorder {
  readonly #caseDoc: CaseDocument;
  readonly #signer: AuditSigner;
  readonly #now: () => number;
  #attached = new Map<Y.Doc, () => void>();
  #pending: { doc: Y.Doc; changes: ObservedChange[]; at: number }[] = [];
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #stopScopes: () => void;
  #stopped = false;
  /** This device's latest entry per document: found once, then kept up to date here. */
  #last = new Map<Y.Doc, AuditClaim | null>();
  /** When this device last wrote an entry per document, and a coalesced rewrite held back. */
  #written = new Map<Y.Doc, number>();
  #deferred = new Map<Y.Doc, { change: ObservedChange; at: number }>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(caseDoc: CaseDocument, signer: AuditSigner, now: () => number = Date.now) {
    this.#caseDoc = caseDoc;
    this.#signer = signer;
    this.#now = now;
    this.#attach(caseDoc.doc);
    this.#stopScopes = caseDoc.onScopes((scopes) => {
      for (const scope of scopes) {
        const doc = caseDoc.scopeDoc(scope);
        if (doc) this.#attach(doc);
      }
    });
  }

  #attach(doc: Y.Doc): void {
    if (this.#attached.has(doc)) return;
    const onTransaction = (tr: Y.Transaction) => {
      if (tr.origin !== LOCAL_EDIT || this.#stopped) return;
      const changes = observeChanges(doc, tr);
      if (changes.length === 0) return;
      this.#pending.push({ doc, changes, at: this.#now() });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // One batch per task: a move between scopes is two transactions in a row.
        queueMicrotask(() => this.#flush());
      }
    };
    const onDestroy = () => this.#detach(doc);
    doc.on('afterTransaction', onTransaction);
    doc.on('destroy', onDestroy);
    this.#attached.set(doc, () => {
      doc.off('afterTransaction', onTransaction);
      doc.off('destroy', onDestroy);
    });
  }

  #detach(doc: Y.Doc): void {
    this.#attached.get(doc)?.();
    this.#attached.delete(doc);
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    const writes: { doc: Y.Doc; change: ObservedChange; at: number; moved?: boolean }[] = [];
    for (const { doc, changes, at } of batch) for (const change of changes) writes.push({ doc, change, at });
    // A scope change is "added here, deleted there" for the same item: one `moved` entry,
    // written where the item now lives.
    for (const added of writes) {
      if (added.change.presence !== 'added') continue;
      const gone = writes.find((w) => w.doc !== added.doc && w.change.entityId === added.change.entityId && w.change.presence === 'deleted');
      if (!gone) continue;
      added.moved = true;
      writes.splice(writes.indexOf(gone), 1);
    }
    for (const write of writes) {
      this.#chain = this.#chain
        .then(() => this.#record(write.doc, write.change, write.at, write.moved ?? false))
        .catch(() => undefined); // an entry that cannot be signed is skipped; the edit stands
    }
  }

  /** Resolves when every observed edit so far has its entry written. */
  async settled(): Promise<void> {
    while (this.#scheduled) await Promise.resolve();
    this.#writeDeferred();
    await this.#chain;
  }

  /** Writes the held-back rewrites now. */
  #writeDeferred(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const deferred = [...this.#deferred];
    this.#deferred.clear();
    for (const [doc, { change, at }] of deferred) {
      this.#chain = this.#chain.then(() => this.#record(doc, change, at, false, true)).catch(() => undefined);
    }
  }

  /** This device's latest entry in `doc` (its coalescing candidate). */
  #lastOwn(doc: Y.Doc): AuditClaim | null {
    if (this.#last.has(doc)) return this.#last.get(doc) ?? null;
    let last: AuditClaim | null = null;
    auditMap(doc).forEach((value) => {
      const entry = AuditEntry.safeParse(value);
      if (!entry.success || entry.data.claim.fingerprint !== this.#signer.fingerprint) return;
      if (!last || entry.data.claim.until > last.until) last = entry.data.claim;
    });
    this.#last.set(doc, last);
    return last;
  }

  async #record(doc: Y.Doc, change: ObservedChange, at: number, moved: boolean, force = false): Promise<void> {
    if (this.#stopped || !this.#attached.has(doc)) return;
    const held = this.#deferred.get(doc);
    if (held && !force) {
      // A held-back rewrite of another item or field is written first; of the same, superseded.
      this.#deferred.delete(doc);
      const same = held.change.entityId === change.entityId && held.change.fields.join() === change.fields.join();
      if (!same || moved || change.presence !== 'same') await this.#record(doc, held.change, held.at, false, true);
    }
    const action = moved ? 'moved' : actionOf(change);
    const fields = moved ? ['visibility'] : change.presence === 'same' ? change.fields : [];
    const who = this.#signer.who();
    const base = { collection: change.collection, entityId: change.entityId, action, fields };
    const last = this.#lastOwn(doc);
    const extend = last && coalesces(last, base, at);
    if (extend && !force && at - (this.#written.get(doc) ?? -Infinity) < REWRITE_EVERY_MS) {
      this.#deferred.set(doc, { change, at });
      this.#timer ??= setTimeout(() => this.#writeDeferred(), REWRITE_EVERY_MS);
      return;
    }
    const claim = AuditClaim.parse({
      v: 1,
      key: extend ? last.key : `${this.#signer.fingerprint}/${crypto.randomUUID()}`,
      at: extend ? last.at : at,
      until: at,
      fingerprint: this.#signer.fingerprint,
      ...(who.participantId ? { participantId: who.participantId } : {}),
      ...(who.name ? { name: who.name } : {}),
      ...(who.role ? { role: who.role } : {}),
      ...base,
    });
    const sig = await this.#signer.sign(utf8(canonicalJson(claim)));
    if (this.#stopped || !this.#attached.has(doc)) return;
    doc.transact(() => {
      const devices = devicesMap(doc);
      if (!AuditDeviceKeys.safeParse(devices.get(this.#signer.fingerprint)).success) {
        devices.set(this.#signer.fingerprint, { sign: this.#signer.keys.sign, agree: this.#signer.keys.agree });
      }
      auditMap(doc).set(claim.key, { claim, sig } satisfies AuditEntry);
    }, AUDIT_WRITE);
    this.#last.set(doc, claim);
    this.#written.set(doc, at);
  }

  /** Stops recording. A held-back rewrite is dropped: its entry stands, with an earlier `until`. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#deferred.clear();
    this.#stopScopes();
    for (const detach of this.#attached.values()) detach();
    this.#attached.clear();
  }
}

// --- reading ------------------------------------------------------------------

const verified = new Map<string, Promise<boolean>>();

/** Whether `keys` really are the keys of `fp` (a peer cannot substitute its own keys). */
function keysMatch(fp: string, keys: AuditDeviceKeys): Promise<boolean> {
  const cacheKey = `fp:${fp}:${keys.sign}:${keys.agree}`;
  let result = verified.get(cacheKey);
  if (!result) {
    result = fingerprintOf(keys).then((actual) => actual === fp).catch(() => false);
    verified.set(cacheKey, result);
  }
  return result;
}

function signatureValid(keys: AuditDeviceKeys, entry: AuditEntry): Promise<boolean> {
  let payload: string;
  try {
    payload = canonicalJson(entry.claim);
  } catch {
    return Promise.resolve(false);
  }
  const cacheKey = `sig:${keys.sign}:${entry.sig}:${payload}`;
  let result = verified.get(cacheKey);
  if (!result) {
    result = verifyBytes(keys.sign, utf8(payload), entry.sig);
    verified.set(cacheKey, result);
  }
  return result;
}

/** One document's entries, each checked; malformed ones come back unverified, never throw. */
export async function readAuditDoc(doc: Y.Doc, scope: ScopeId = 'shared'): Promise<(AuditRecord & { scope: ScopeId })[]> {
  const raw: [string, unknown][] = [];
  auditMap(doc).forEach((value, key) => raw.push([key, value instanceof Y.AbstractType ? value.toJSON() : value]));
  const devices = new Map<string, unknown>();
  devicesMap(doc).forEach((value, key) => devices.set(key, value instanceof Y.AbstractType ? value.toJSON() : value));
  return Promise.all(
    raw.map(async ([key, value]) => {
      const entry = AuditEntry.safeParse(value);
      if (!entry.success) {
        // Show what can be shown of it, marked as not confirmed.
        const claim = AuditClaim.safeParse((value as { claim?: unknown } | null)?.claim);
        return { key, verified: false, scope, ...(claim.success ? { claim: claim.data } : {}) };
      }
      const { claim } = entry.data;
      const keys = AuditDeviceKeys.safeParse(devices.get(claim.fingerprint));
      const ok =
        claim.key === key &&
        keys.success &&
        (await keysMatch(claim.fingerprint, keys.data)) &&
        (await signatureValid(keys.data, entry.data));
      return { key, verified: ok, scope, claim };
    }),
  );
}

/** The whole trail of a case as this device can read it (shared plus held scopes), newest first. */
export async function readAudit(caseDoc: CaseDocument): Promise<(AuditRecord & { scope: ScopeId })[]> {
  const parts = await Promise.all(
    caseDoc.scopes().map((scope) => {
      const doc = caseDoc.scopeDoc(scope);
      return doc ? readAuditDoc(doc, scope) : Promise.resolve([]);
    }),
  );
  return parts.flat().sort(byTime);
}

/** The trail of one item. */
export async function readAuditOf(caseDoc: CaseDocument, entityId: string): Promise<(AuditRecord & { scope: ScopeId })[]> {
  return (await readAudit(caseDoc)).filter((r) => r.claim?.entityId === entityId);
}

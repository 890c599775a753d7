import * as Y from 'yjs';
import { z } from 'zod';
import { DOMAINS, DomainStatus, type Domain } from '../domain/assessment.ts';
import { CaseMeta, byOrder } from '../domain/case.ts';
import { Acceptance } from '../domain/participants.ts';
import { PlanSettings } from '../domain/plan.ts';
import { SCOPE_IDS, type ScopeId } from '../domain/visibility.ts';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName, type EntityOf } from './collections.ts';
import { ROOT, collectionMap, metaMap, rootMap } from './layout.ts';

/** Data that arrived but does not match the schema: shown to the user, never deleted. */
export interface Quarantined {
  where: string;
  reason: string;
  raw: string;
}

type Lists = { [C in CollectionName]: EntityOf<C>[] };

export interface CaseView extends Lists {
  meta: CaseMeta | null;
  domains: Record<Domain, DomainStatus>;
  plan: PlanSettings;
  acceptances: Acceptance[];
  /** Soft-deleted entries, kept so a concurrent edit on another device is never lost. */
  removed: Lists;
  /** Shortcuts used by the goal and step screens. */
  removedGoals: EntityOf<'goals'>[];
  removedSteps: EntityOf<'steps'>[];
  quarantine: Quarantined[];
  /**
   * The scope (document) each entity id was read from, live and removed alike. An id missing
   * here is in the shared scope. Kept beside the lists so the stored entity shape is unchanged.
   */
  scopes: Record<string, ScopeId>;
}

/** The scope an entity of `view` lives in (`shared` unless it was read from a scope document). */
export function scopeIn(view: Pick<CaseView, 'scopes'>, id: string): ScopeId {
  return view.scopes[id] ?? 'shared';
}

const RAW_LIMIT = 2_000;

/** Any shared type (Yjs types its event parameter; we only walk the tree). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type YType = Y.AbstractType<any>;

/** Plain JSON of a Yjs value; Y.Text becomes its string so text fields validate as strings. */
export function plain(value: unknown): unknown {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.Map) {
    const out: Record<string, unknown> = {};
    value.forEach((v, k) => (out[k] = plain(v)));
    return out;
  }
  if (value instanceof Y.AbstractType) return value.toJSON();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}

/**
 * What a quarantined value held, as display text of at most RAW_LIMIT characters. Never throws:
 * a peer can send what JSON cannot write (a bigint) inside an object without a prototype (a
 * `__proto__: null` key), and `String()` of that throws too; the whole read would fail with it.
 */
export function rawText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = '<?>';
  }
  return text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}…` : text;
}
const rawOf = rawText;

function reasonOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** One entity's validated read: the parsed entity, or why it is quarantined. */
type EntityRead = { ok: true; data: { id: string; order: string; deletedAt?: unknown } } | { ok: false; quarantined: Quarantined };

/** What one collection contributes to a view. */
interface CollectionRead<C extends CollectionName> {
  live: EntityOf<C>[];
  removed: EntityOf<C>[];
  quarantine: Quarantined[];
  scopes: Record<string, ScopeId>;
}

function readEntity(schema: z.ZodType, where: string, key: string, value: unknown): EntityRead {
  const data = plain(value);
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, quarantined: { where, reason: reasonOf(parsed.error), raw: rawOf(data) } };
  const entity = parsed.data as { id: string; order: string; deletedAt?: unknown };
  if (entity.id !== key) return { ok: false, quarantined: { where, reason: 'id does not match its key', raw: rawOf(data) } };
  return { ok: true, data: entity };
}

function readEntities<C extends CollectionName>(
  docs: readonly (readonly [ScopeId, Y.Doc])[],
  name: C,
  memo: WeakMap<object, EntityRead>,
): CollectionRead<C> {
  const schema = COLLECTIONS[name].schema as unknown as z.ZodType;
  const live: EntityOf<C>[] = [];
  const removed: EntityOf<C>[] = [];
  const quarantine: Quarantined[] = [];
  const scopes: Record<string, ScopeId> = {};
  for (const [scope, doc] of docs) {
    collectionMap(doc, name).forEach((value, key) => {
      const where = scope === 'shared' ? `${name}/${key}` : `${scope}/${name}/${key}`;
      // An entity map that did not change since the last read keeps its parsed object, so the
      // UI sees the very same object and can skip it.
      let read = value instanceof Y.Map ? memo.get(value) : undefined;
      if (!read) {
        read = readEntity(schema, where, key, value);
        if (value instanceof Y.Map) memo.set(value, read);
      }
      if (!read.ok) {
        quarantine.push(read.quarantined);
        return;
      }
      if (scopes[key] !== undefined) {
        // The same id in two scopes: two devices moved it concurrently. The more restricted
        // copy (read later, SCOPE_IDS order) is shown; the other stays in its document.
        for (const list of [live, removed]) {
          const i = list.findIndex((e) => e.id === key);
          if (i >= 0) list.splice(i, 1);
        }
      }
      scopes[key] = scope;
      (read.data.deletedAt === undefined ? live : removed).push(read.data as EntityOf<C>);
    });
  }
  live.sort(byOrder);
  removed.sort(byOrder);
  return { live, removed, quarantine, scopes };
}

function readDomains(doc: Y.Doc, quarantine: Quarantined[]): Record<Domain, DomainStatus> {
  const map = rootMap(doc, 'domains');
  const out = Object.fromEntries(DOMAINS.map((d) => [d, 'offen'])) as Record<Domain, DomainStatus>;
  map.forEach((value, key) => {
    const domain = DOMAINS.find((d) => d === key);
    const status = DomainStatus.safeParse(value);
    if (domain && status.success) out[domain] = status.data;
    else quarantine.push({ where: `domains/${key}`, reason: 'unknown domain or status', raw: rawOf(plain(value)) });
  });
  return out;
}

function readAcceptances(doc: Y.Doc, quarantine: Quarantined[]): Acceptance[] {
  const out: Acceptance[] = [];
  rootMap(doc, 'acceptances').forEach((value, key) => {
    const data = plain(value);
    const parsed = Acceptance.safeParse(data);
    if (parsed.success && parsed.data.id === key) out.push(parsed.data);
    else quarantine.push({ where: `acceptances/${key}`, reason: parsed.success ? 'id does not match its key' : reasonOf(parsed.error), raw: rawOf(data) });
  });
  return out;
}

interface Singletons {
  meta: CaseMeta | null;
  metaQuarantine: Quarantined[];
  plan: PlanSettings;
  domains: Record<Domain, DomainStatus>;
  acceptances: Acceptance[];
  /** Plan, domains and acceptances, in this order. */
  quarantine: Quarantined[];
}

function readMeta(doc: Y.Doc): { meta: CaseMeta | null; quarantine: Quarantined[] } {
  if (metaMap(doc).size === 0) return { meta: null, quarantine: [] };
  const metaRaw = plain(metaMap(doc));
  const parsed = CaseMeta.safeParse(metaRaw);
  if (parsed.success) return { meta: parsed.data, quarantine: [] };
  return { meta: null, quarantine: [{ where: 'meta', reason: reasonOf(parsed.error), raw: rawOf(metaRaw) }] };
}

function readSingletons(doc: Y.Doc): Singletons {
  const { meta, quarantine: metaQuarantine } = readMeta(doc);
  const quarantine: Quarantined[] = [];
  const planRaw = plain(rootMap(doc, 'plan'));
  const plan = PlanSettings.safeParse(planRaw);
  if (!plan.success) quarantine.push({ where: 'plan', reason: reasonOf(plan.error), raw: rawOf(planRaw) });
  return {
    meta,
    metaQuarantine,
    plan: plan.success ? plan.data : {},
    domains: readDomains(doc, quarantine),
    acceptances: readAcceptances(doc, quarantine),
    quarantine,
  };
}

/** Roots of the shared document that a view reads besides the collections. */
const SINGLETON_ROOTS: readonly string[] = [ROOT.meta, ROOT.plan, ROOT.domains, ROOT.acceptances];

/**
 * What changed since the last read: collections (by root name) and the entity maps whose
 * content changed, and whether meta, plan, domains or acceptances did. `null`: unknown, read all.
 */
export interface ViewChanges {
  collections: Set<CollectionName>;
  entities: Set<Y.Map<unknown>>;
  singletons: boolean;
}

export function noChanges(): ViewChanges {
  return { collections: new Set(), entities: new Set(), singletons: false };
}

/** Whether `name` is a root the view reads. */
export function isViewRoot(name: string): boolean {
  return SINGLETON_ROOTS.includes(name) || (COLLECTION_NAMES as readonly string[]).includes(name);
}

/** Records into `changes` what transaction `tr` changed that a view reads. Returns whether it did. */
export function collectChanges(tr: Y.Transaction, changes: ViewChanges): boolean {
  let relevant = false;
  const names = rootNames(tr.doc);
  for (const [type, keys] of tr.changed) {
    // Walk up to the root type; the item just below it is the entity (in a collection).
    let root: YType = type;
    let below: YType | null = null;
    while (root._item !== null) {
      below = root;
      root = root._item.parent as YType;
    }
    const name = names.get(root);
    if (name === undefined || !isViewRoot(name)) continue;
    relevant = true;
    if (SINGLETON_ROOTS.includes(name)) {
      changes.singletons = true;
      continue;
    }
    changes.collections.add(name as CollectionName);
    if (below instanceof Y.Map) changes.entities.add(below);
    else if (below === null && type instanceof Y.Map) {
      // Keys of the collection itself were set or deleted: those entries are new maps.
      for (const key of keys) {
        const entry = key === null ? undefined : type.get(key);
        if (entry instanceof Y.Map) changes.entities.add(entry);
      }
    }
  }
  return relevant;
}

const rootNameCache = new WeakMap<Y.Doc, Map<YType, string>>();

/** Root type → its name in the document (roots are few; refreshed when one is new). */
function rootNames(doc: Y.Doc): Map<YType, string> {
  let names = rootNameCache.get(doc);
  if (!names || names.size !== doc.share.size || [...doc.share.values()].some((t) => !names!.has(t))) {
    names = new Map([...doc.share].map(([name, type]) => [type, name] as const));
    rootNameCache.set(doc, names);
  }
  return names;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Reads views of one case again and again, re-validating only what changed (`ViewChanges`),
 * so a keystroke in one goal does not re-read the other 200 entities. Unchanged entities,
 * lists and singletons keep their identity from one view to the next.
 */
export class CaseReader {
  #memo = new WeakMap<object, EntityRead>();
  #collections = new Map<CollectionName, CollectionRead<CollectionName>>();
  #singletons: Singletons | null = null;
  #view: CaseView | null = null;

  /**
   * The view of `doc` and the `scopeDocs` this device holds. `changes` must name everything
   * changed since the previous call with the same documents; `null` reads everything.
   */
  read(doc: Y.Doc, scopeDocs: Iterable<readonly [ScopeId, Y.Doc]>, changes: ViewChanges | null): CaseView {
    const docs = ([['shared', doc] as const, ...scopeDocs] as (readonly [ScopeId, Y.Doc])[]).filter(
      ([scope, d], i) => i === 0 || (scope !== 'shared' && d !== doc),
    );
    docs.sort((a, b) => SCOPE_IDS.indexOf(a[0]) - SCOPE_IDS.indexOf(b[0]));
    if (changes === null) this.#memo = new WeakMap();
    else for (const entity of changes.entities) this.#memo.delete(entity);

    let changed = changes === null || this.#view === null;
    if (changed || changes!.singletons || !this.#singletons) {
      const next = readSingletons(doc);
      const prev = this.#singletons;
      if (prev) {
        // Same content, same objects: the UI then sees nothing new.
        if (JSON.stringify(next.meta) === JSON.stringify(prev.meta)) next.meta = prev.meta;
        if (JSON.stringify(next.plan) === JSON.stringify(prev.plan)) next.plan = prev.plan;
        if (sameRecord(next.domains, prev.domains)) next.domains = prev.domains;
        if (JSON.stringify(next.acceptances) === JSON.stringify(prev.acceptances)) next.acceptances = prev.acceptances;
      }
      changed ||= !prev || next.meta !== prev.meta || next.plan !== prev.plan || next.domains !== prev.domains || next.acceptances !== prev.acceptances
        || JSON.stringify([next.metaQuarantine, next.quarantine]) !== JSON.stringify([prev.metaQuarantine, prev.quarantine]);
      this.#singletons = next;
    }
    for (const name of COLLECTION_NAMES) {
      const prev = this.#collections.get(name);
      if (prev && changes !== null && !changes.collections.has(name)) continue;
      const next = readEntities(docs, name, this.#memo) as CollectionRead<CollectionName>;
      if (prev) {
        if (sameItems(next.live, prev.live)) next.live = prev.live;
        if (sameItems(next.removed, prev.removed)) next.removed = prev.removed;
        if (sameItems(next.quarantine, prev.quarantine)) next.quarantine = prev.quarantine;
        if (sameRecord(next.scopes, prev.scopes)) next.scopes = prev.scopes;
      }
      if (!prev || next.live !== prev.live || next.removed !== prev.removed || next.quarantine !== prev.quarantine || next.scopes !== prev.scopes) {
        changed = true;
      }
      this.#collections.set(name, next);
    }
    if (!changed && this.#view) return this.#view;
    this.#view = this.#assemble();
    return this.#view;
  }

  #assemble(): CaseView {
    const singletons = this.#singletons!;
    const prev = this.#view;
    const lists = {} as Lists;
    const removed = {} as Lists;
    const quarantine: Quarantined[] = [...singletons.metaQuarantine];
    let scopes: Record<string, ScopeId> = {};
    for (const name of COLLECTION_NAMES) {
      const read = this.#collections.get(name)!;
      (lists as Record<string, unknown>)[name] = read.live;
      (removed as Record<string, unknown>)[name] = read.removed;
      quarantine.push(...read.quarantine);
      Object.assign(scopes, read.scopes);
    }
    quarantine.push(...singletons.quarantine);
    const sameRemoved = prev !== null && COLLECTION_NAMES.every((name) => prev.removed[name] === removed[name]);
    if (prev && sameRecord(scopes, prev.scopes)) scopes = prev.scopes;
    return {
      meta: singletons.meta,
      ...lists,
      domains: singletons.domains,
      plan: singletons.plan,
      acceptances: singletons.acceptances,
      removed: sameRemoved ? prev.removed : removed,
      removedGoals: removed.goals,
      removedSteps: removed.steps,
      quarantine: prev && sameItems(quarantine, prev.quarantine) ? prev.quarantine : quarantine,
      scopes,
    };
  }
}

/**
 * Validates everything in the doc; whatever fails goes to `quarantine` and the rest is shown.
 * `scopeDocs` are the further scope documents this device holds (docs/case-schema.md,
 * "Scopes"): their collections are merged into the lists; meta and singletons come from the
 * shared document only.
 */
export function readCase(doc: Y.Doc, scopeDocs: Iterable<readonly [ScopeId, Y.Doc]> = []): CaseView {
  return new CaseReader().read(doc, scopeDocs, null);
}

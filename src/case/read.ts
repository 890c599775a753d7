import * as Y from 'yjs';
import { z } from 'zod';
import { DOMAINS, DomainStatus, type Domain } from '../domain/assessment.ts';
import { CaseMeta, byOrder } from '../domain/case.ts';
import { Acceptance } from '../domain/participants.ts';
import { PlanSettings } from '../domain/plan.ts';
import { SCOPE_IDS, type ScopeId } from '../domain/visibility.ts';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName, type EntityOf } from './collections.ts';
import { collectionMap, metaMap, rootMap } from './layout.ts';

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

function rawOf(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}…` : text;
}

function reasonOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function readEntities<C extends CollectionName>(
  docs: readonly (readonly [ScopeId, Y.Doc])[],
  name: C,
  quarantine: Quarantined[],
  scopes: Record<string, ScopeId>,
): { live: EntityOf<C>[]; removed: EntityOf<C>[] } {
  const schema = COLLECTIONS[name].schema as unknown as z.ZodType<EntityOf<C>>;
  const live: EntityOf<C>[] = [];
  const removed: EntityOf<C>[] = [];
  for (const [scope, doc] of docs) {
    collectionMap(doc, name).forEach((value, key) => {
      const where = scope === 'shared' ? `${name}/${key}` : `${scope}/${name}/${key}`;
      const data = plain(value);
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        quarantine.push({ where, reason: reasonOf(parsed.error), raw: rawOf(data) });
      } else if (parsed.data.id !== key) {
        quarantine.push({ where, reason: 'id does not match its key', raw: rawOf(data) });
      } else {
        if (scopes[key] !== undefined) {
          // The same id in two scopes: two devices moved it concurrently. The more restricted
          // copy (read later, SCOPE_IDS order) is shown; the other stays in its document.
          for (const list of [live, removed]) {
            const i = list.findIndex((e) => e.id === key);
            if (i >= 0) list.splice(i, 1);
          }
        }
        scopes[key] = scope;
        (parsed.data.deletedAt === undefined ? live : removed).push(parsed.data);
      }
    });
  }
  live.sort(byOrder);
  removed.sort(byOrder);
  return { live, removed };
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

/**
 * Validates everything in the doc; whatever fails goes to `quarantine` and the rest is shown.
 * `scopeDocs` are the further scope documents this device holds (docs/case-schema.md,
 * "Scopes"): their collections are merged into the lists; meta and singletons come from the
 * shared document only.
 */
export function readCase(doc: Y.Doc, scopeDocs: Iterable<readonly [ScopeId, Y.Doc]> = []): CaseView {
  const quarantine: Quarantined[] = [];
  const docs = ([['shared', doc] as const, ...scopeDocs] as (readonly [ScopeId, Y.Doc])[]).filter(
    ([scope, d], i) => i === 0 || (scope !== 'shared' && d !== doc),
  );
  docs.sort((a, b) => SCOPE_IDS.indexOf(a[0]) - SCOPE_IDS.indexOf(b[0]));
  const scopes: Record<string, ScopeId> = {};
  let meta: CaseMeta | null = null;
  if (metaMap(doc).size > 0) {
    const metaRaw = plain(metaMap(doc));
    const parsed = CaseMeta.safeParse(metaRaw);
    if (parsed.success) meta = parsed.data;
    else quarantine.push({ where: 'meta', reason: reasonOf(parsed.error), raw: rawOf(metaRaw) });
  }
  const lists = {} as Lists;
  const removed = {} as Lists;
  for (const name of COLLECTION_NAMES) {
    const { live, removed: gone } = readEntities(docs, name, quarantine, scopes);
    (lists as Record<string, unknown>)[name] = live;
    (removed as Record<string, unknown>)[name] = gone;
  }
  const planRaw = plain(rootMap(doc, 'plan'));
  const plan = PlanSettings.safeParse(planRaw);
  if (!plan.success) quarantine.push({ where: 'plan', reason: reasonOf(plan.error), raw: rawOf(planRaw) });
  return {
    meta,
    ...lists,
    domains: readDomains(doc, quarantine),
    plan: plan.success ? plan.data : {},
    acceptances: readAcceptances(doc, quarantine),
    removed,
    removedGoals: removed.goals,
    removedSteps: removed.steps,
    quarantine,
    scopes,
  };
}

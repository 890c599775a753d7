import * as Y from 'yjs';
import { z } from 'zod';
import { CaseMeta, Goal, Step, byOrder } from '../domain/case.ts';
import { goalsMap, metaMap, stepsMap } from './layout.ts';

/** Data that arrived but does not match the schema: shown to the user, never deleted. */
export interface Quarantined {
  where: string;
  reason: string;
  raw: string;
}

export interface CaseView {
  meta: CaseMeta | null;
  goals: Goal[];
  steps: Step[];
  /** Soft-deleted entries, kept so a concurrent edit on another device is never lost. */
  removedGoals: Goal[];
  removedSteps: Step[];
  quarantine: Quarantined[];
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

function readEntities<T extends { id: string; order: string; deletedAt?: number | undefined }>(
  map: Y.Map<unknown>,
  schema: z.ZodType<T>,
  where: string,
  quarantine: Quarantined[],
): { live: T[]; removed: T[] } {
  const live: T[] = [];
  const removed: T[] = [];
  map.forEach((value, key) => {
    const data = plain(value);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      quarantine.push({ where: `${where}/${key}`, reason: reasonOf(parsed.error), raw: rawOf(data) });
    } else if (parsed.data.id !== key) {
      quarantine.push({ where: `${where}/${key}`, reason: 'id does not match its key', raw: rawOf(data) });
    } else {
      (parsed.data.deletedAt === undefined ? live : removed).push(parsed.data);
    }
  });
  live.sort(byOrder);
  removed.sort(byOrder);
  return { live, removed };
}

/** Validates everything in the doc; whatever fails goes to `quarantine` and the rest is shown. */
export function readCase(doc: Y.Doc): CaseView {
  const quarantine: Quarantined[] = [];
  const metaRaw = plain(metaMap(doc));
  let meta: CaseMeta | null = null;
  const isEmpty = metaMap(doc).size === 0;
  if (!isEmpty) {
    const parsed = CaseMeta.safeParse(metaRaw);
    if (parsed.success) meta = parsed.data;
    else quarantine.push({ where: 'meta', reason: reasonOf(parsed.error), raw: rawOf(metaRaw) });
  }
  const goals = readEntities(goalsMap(doc), Goal, 'goals', quarantine);
  const steps = readEntities(stepsMap(doc), Step, 'steps', quarantine);
  return {
    meta,
    goals: goals.live,
    steps: steps.live,
    removedGoals: goals.removed,
    removedSteps: steps.removed,
    quarantine,
  };
}

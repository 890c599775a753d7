import * as Y from 'yjs';
import { collectionMap, richTextFragment } from '../../../../src/case/layout.ts';
import { readCase } from '../../../../src/case/read.ts';
import { allowedValues, type Ledger } from './ledger.ts';
import { paragraphChars, TRACKED } from './ops.ts';
import type { Replica } from './replica.ts';

/** JSON with object keys sorted, so equal views compare equal whatever order keys were read in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Convergence: every replica has the same state vector, the same validated view (read afresh
 * and as the case API's incremental view shows it) and the same rich text.
 */
export function convergenceProblems(replicas: readonly Replica[]): string[] {
  const problems: string[] = [];
  const first = replicas[0]!;
  const sv = Y.encodeStateVector(first.doc);
  const view = canonical(readCase(first.doc));
  const rich = richTextFragment(first.doc, 'ausgangslage').toString();
  for (const r of replicas) {
    if (r.doc.store.pendingStructs || r.doc.store.pendingDs) problems.push(`replica ${r.index} still holds updates it could not integrate`);
    if (!equalBytes(Y.encodeStateVector(r.doc), sv)) problems.push(`replica ${r.index}: state vector differs from replica 0`);
    const fresh = canonical(readCase(r.doc));
    if (fresh !== view) problems.push(`replica ${r.index}: view differs from replica 0`);
    if (canonical(r.caseDoc.view()) !== fresh) problems.push(`replica ${r.index}: the case API's incremental view differs from a fresh read`);
    if (richTextFragment(r.doc, 'ausgangslage').toString() !== rich) problems.push(`replica ${r.index}: rich text differs from replica 0`);
  }
  return problems;
}

/**
 * Nothing acknowledged is lost, on replica `r`:
 * - every entity created is there (live or removed) and nothing is quarantined;
 * - a text field holds exactly the characters typed into it minus those some edit deleted
 *   (each character is unique, so this is exact), each once;
 * - rich text: the same, except that characters typed into a paragraph that some edit deleted
 *   (concurrently or later) go with their paragraph;
 * - a last-writer-wins field (status, dates, order, removal, domain status, next review) ends
 *   with the value of a write that no other write of that field followed causally: only a
 *   concurrent write may have replaced an acknowledged one.
 */
export function lossProblems(ledger: Ledger, r: Replica): string[] {
  const problems: string[] = [];
  const view = readCase(r.doc);
  if (view.quarantine.length > 0) problems.push(`replica ${r.index}: quarantined ${canonical(view.quarantine)}`);
  for (const [collection, ids] of ledger.entities) {
    const shown = new Set([...(view as never as Record<string, { id: string }[]>)[collection]!, ...(view.removed as never as Record<string, { id: string }[]>)[collection]!].map((e) => e.id));
    for (const id of ids) if (!shown.has(id)) problems.push(`replica ${r.index}: ${collection}/${id} is missing`);
  }
  for (const [key, t] of ledger.texts) {
    const [collection, id, field] = key.split('/') as [string, string, string];
    const entity = collectionMap(r.doc, collection as never).get(id);
    const text = entity instanceof Y.Map ? entity.get(field) : undefined;
    const value = text instanceof Y.Text ? text.toString() : '';
    const expected = [...t.inserted].filter((c) => !t.deleted.has(c)).sort().join('');
    if ([...value].sort().join('') !== expected) problems.push(`replica ${r.index}: ${key} is "${value}", expected the characters "${expected}"`);
  }
  const fragment = richTextFragment(r.doc, 'ausgangslage');
  const richChars = fragment
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement)
    .map(paragraphChars)
    .join('');
  const present = new Set(richChars);
  if (present.size !== richChars.length) problems.push(`replica ${r.index}: a rich-text character appears twice`);
  for (const c of present) {
    if (!ledger.rich.inserted.has(c) || ledger.rich.deleted.has(c)) problems.push(`replica ${r.index}: rich text holds ${c}, which was deleted or never typed`);
  }
  for (const [c, paragraph] of ledger.rich.inserted) {
    if (!present.has(c) && !ledger.rich.deleted.has(c) && !ledger.rich.deletedParagraphs.has(paragraph)) {
      problems.push(`replica ${r.index}: rich-text character ${c} was lost`);
    }
  }
  for (const [collection, fields] of Object.entries(TRACKED)) {
    for (const id of ledger.entities.get(collection) ?? []) {
      const entity = collectionMap(r.doc, collection as never).get(id);
      if (!(entity instanceof Y.Map)) continue;
      for (const field of fields) {
        const key = `${collection}/${id}/${field}`;
        const allowed = allowedValues(ledger.scalars.get(key));
        if (!allowed.includes(entity.get(field))) problems.push(`replica ${r.index}: ${key} is ${canonical(entity.get(field))}, allowed ${canonical(allowed)}`);
      }
    }
  }
  for (const [key, writes] of ledger.scalars) {
    const [root, name] = key.split('/') as [string, string];
    if (root !== 'domains' && root !== 'plan') continue;
    const value = r.doc.getMap(root).get(name);
    const allowed = allowedValues(writes);
    if (!allowed.includes(value)) problems.push(`replica ${r.index}: ${key} is ${canonical(value)}, allowed ${canonical(allowed)}`);
  }
  return problems;
}

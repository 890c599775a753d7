import * as Y from 'yjs';
import { generateNKeysBetween } from 'fractional-indexing';
import type { EntityId } from '../domain/ids.ts';
import type { CaseDocument, NewEntity } from './caseDocument.ts';
import type { CollectionName } from './collections.ts';
import { collectionMap } from './layout.ts';

/**
 * Appends several entities in ONE transaction (one undo step, one update on the wire), in the
 * given order.
 *
 * `CaseDocument.add` computes each order key from the cached view, and that cache is only
 * refreshed after a transaction ends, so several `add`s inside one `transact` all get the same
 * key and then sort by their random ids. Here every entity is still created and validated by
 * `add`; only the order keys are replaced, still inside the same transaction, by consecutive
 * keys after the last existing entry. Once `CaseDocument` can add in batches, this can go.
 */
export function addMany<C extends CollectionName>(caseDoc: CaseDocument, collection: C, inits: readonly NewEntity<C>[]): EntityId[] {
  // Read before the transaction starts: this view is exactly the document as it is now.
  const existing = (caseDoc.view()[collection] as { order: string }[]).map((e) => e.order);
  const last = existing.reduce<string | null>((max, key) => (max === null || key > max ? key : max), null);
  const keys = generateNKeysBetween(last, null, inits.length);
  const ids: EntityId[] = [];
  caseDoc.transact(() => {
    const root = collectionMap(caseDoc.doc, collection);
    inits.forEach((init, i) => {
      const id = caseDoc.add(collection, init);
      const entity = root.get(id);
      if (entity instanceof Y.Map) entity.set('order', keys[i]);
      ids.push(id);
    });
  });
  return ids;
}

import { z } from 'zod';
import { EntityId } from './ids.ts';
import { Timestamp } from './dates.ts';

/** A free-text field: what a person typed, bounded so one field cannot swamp a screen. */
export const Text = z.string().max(10_000);

/** Sort key from fractional indexing; equal keys (concurrent inserts) tie-break by id. */
export const OrderKey = z.string().min(1).max(200);

/** Fields every entity of every collection has. Deletes are soft (see docs/case-schema.md). */
export const EntityBase = z.object({
  id: EntityId,
  order: OrderKey,
  createdAt: Timestamp,
  deletedAt: Timestamp.optional(),
});
export type EntityBase = z.infer<typeof EntityBase>;

/** Compare by order key, then id, so every replica shows the same order. */
export function byOrder<T extends { order: string; id: string }>(a: T, b: T): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A set of ids stored as a map id → true (concurrent adds of different ids all survive). */
export const IdSet = z.record(EntityId, z.literal(true));

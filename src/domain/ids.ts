import { z } from 'zod';

/** Entity ids are random UUIDs: unique across peers without coordination. */
export const EntityId = z.uuid();
export type EntityId = z.infer<typeof EntityId>;

export function newId(): EntityId {
  return crypto.randomUUID();
}

import { z } from 'zod';
import { Timestamp } from './dates.ts';
import { EntityId } from './ids.ts';
import { Role } from './roles.ts';

/**
 * The audit trail: who changed which goal, step or assessment item, and when. Each device
 * writes entries about its own edits only and signs them with its device key, so a peer can
 * show, but not forge, someone else's entries. Pure rules here; storage in src/case/audit.ts.
 */

/** What the trail covers (issue 6: goals, steps and assessment items). */
export const AUDITED_COLLECTIONS = ['goals', 'steps', 'assessment'] as const;
export const AuditedCollection = z.enum(AUDITED_COLLECTIONS);
export type AuditedCollection = z.infer<typeof AuditedCollection>;

export const AuditAction = z.enum(['created', 'changed', 'removed', 'restored', 'moved']);
export type AuditAction = z.infer<typeof AuditAction>;

/** Consecutive edits of the same fields of one item by one device within this time are one entry. */
export const COALESCE_MS = 5 * 60 * 1000;
export const MAX_FIELDS = 30;

const FieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/);
/** Device fingerprint as shown to people: "3F9A 12C4 77B0 E2D1 0A5C". */
export const Fingerprint = z.string().regex(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
const Signature = z.string().regex(/^[A-Za-z0-9_-]{80,90}$/);

/** The signed part of an entry. */
export const AuditClaim = z
  .object({
    v: z.literal(1),
    /** Key of the entry in the log: `${fingerprint}/${n}`; a coalesced entry keeps its key. */
    key: z.string().min(1).max(120),
    /** First and last edit the entry stands for. */
    at: Timestamp,
    until: Timestamp,
    fingerprint: Fingerprint,
    /** The participant this device is at the table, once it has one. */
    participantId: EntityId.optional(),
    /** Name and role the device used for itself when it wrote the entry. */
    name: z.string().trim().min(1).max(200).optional(),
    role: Role.optional(),
    collection: AuditedCollection,
    entityId: EntityId,
    action: AuditAction,
    fields: z.array(FieldName).max(MAX_FIELDS),
  })
  .strict()
  .refine((c) => c.until >= c.at, 'until before at')
  .refine((c) => c.key.startsWith(`${c.fingerprint}/`), 'key of another device');
export type AuditClaim = z.infer<typeof AuditClaim>;

export const AuditEntry = z.object({ claim: AuditClaim, sig: Signature }).strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Public keys a device stores once per document so others can check its entries. */
export const AuditDeviceKeys = z.object({ sign: z.string().min(60).max(200), agree: z.string().min(60).max(200) }).strict();
export type AuditDeviceKeys = z.infer<typeof AuditDeviceKeys>;

/** One local change to an item as observed in one transaction. */
export interface ObservedChange {
  collection: AuditedCollection;
  entityId: EntityId;
  /** The item appeared in (`added`) or left (`deleted`) its collection in this document. */
  presence: 'added' | 'deleted' | 'same';
  fields: string[];
  /** For `deletedAt`: whether it is set after the change (removed) or gone (restored). */
  deletedAtSet?: boolean;
}

/** The action an observed change stands for. */
export function actionOf(change: ObservedChange): AuditAction {
  if (change.presence === 'added') return 'created';
  if (change.presence === 'deleted') return 'removed';
  if (change.fields.includes('deletedAt')) return change.deletedAtSet ? 'removed' : 'restored';
  if (change.fields.length > 0 && change.fields.every((f) => f === 'order')) return 'moved';
  return 'changed';
}

/**
 * Whether `next` (same device) extends `last` instead of starting a new entry: the same item,
 * a plain change of the same fields, within COALESCE_MS of the last edit. Creating, removing,
 * restoring and moving always get their own entry.
 */
export function coalesces(
  last: Pick<AuditClaim, 'collection' | 'entityId' | 'action' | 'fields' | 'until'>,
  next: Pick<AuditClaim, 'collection' | 'entityId' | 'action' | 'fields'>,
  now: number,
): boolean {
  return (
    last.collection === next.collection &&
    last.entityId === next.entityId &&
    last.action === 'changed' &&
    next.action === 'changed' &&
    now - last.until < COALESCE_MS &&
    now >= last.until &&
    sameSet(last.fields, next.fields)
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** A checked entry as people see it. `verified` false: shown as "nicht bestätigt". */
export interface AuditRecord {
  key: string;
  verified: boolean;
  /** Present when the entry at least has the entry's shape. */
  claim?: AuditClaim;
}

/** Newest first; unreadable entries last. */
export function byTime(a: AuditRecord, b: AuditRecord): number {
  return (b.claim?.until ?? -1) - (a.claim?.until ?? -1) || a.key.localeCompare(b.key);
}

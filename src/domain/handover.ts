import { z } from 'zod';
import { Team } from './case.ts';
import { Timestamp } from './dates.ts';
import { EntityBase, Text } from './entity.ts';
import { EntityId } from './ids.ts';

/**
 * The warm handover U25 → Ü25 (domain guide section 6, scenario C). The record is written
 * together at the table; the protocol entries (offer, receipt, transfer, acknowledgement,
 * release) are each written once by one device and signed with its device key.
 */

/** „Was weiterläuft“ or „Was mit 25 endet – und was stattdessen kommt“. */
export const HandoverItemKind = z.enum(['continues', 'ends']);
export type HandoverItemKind = z.infer<typeof HandoverItemKind>;

/** One line of the handover record. `replacement` is only filled for what ends. */
export const HandoverItem = EntityBase.extend({
  kind: HandoverItemKind,
  text: Text,
  replacement: Text,
});
export type HandoverItem = z.infer<typeof HandoverItem>;

/** Who takes over an open step of the plan after the handover. */
export const Takeover = z.object({
  stepId: EntityId,
  participantId: EntityId,
  at: Timestamp,
});
export type Takeover = z.infer<typeof Takeover>;

/** The handover was started: by whom (the outgoing case manager) and when. */
export const HandoverStart = z.object({
  v: z.literal(1),
  at: Timestamp,
  participantId: EntityId,
  fingerprint: z.string().min(1).max(100),
});
export type HandoverStart = z.infer<typeof HandoverStart>;

const B64 = z.string().regex(/^[A-Za-z0-9_-]*$/).max(200_000);
const Hash = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const Fingerprint = z.string().min(1).max(100);
const Signature = z.string().min(1).max(1_000);
/** `shared` or a further scope's id (docs/case-schema.md, "Scopes"). */
export const ManifestScope = z.string().regex(/^(shared|confidential|topic:[a-z]{1,40})$/);

/**
 * What one document of the case looked like on the outgoing device when it offered the case:
 * its state vector (which updates of which writer it held), the SHA-256 of its Yjs snapshot
 * (state vector plus delete set, without the handover map's own entries) and the SHA-256 of
 * its content as canonical JSON (without the handover map).
 */
export const DocManifest = z.object({
  scope: ManifestScope,
  stateVector: B64,
  snapshot: Hash,
  content: Hash,
});
export type DocManifest = z.infer<typeof DocManifest>;

/**
 * What every protocol entry has: its format version, the case, when, and the writing device
 * (`by`) with its signature over everything else.
 */
const SignedEntry = z.object({
  v: z.literal(1),
  caseId: EntityId,
  at: Timestamp,
  by: Fingerprint,
  sig: Signature,
});

/** The outgoing device offers the whole case as it holds it now. */
export const HandoverOffer = SignedEntry.extend({
  from: EntityId,
  to: EntityId,
  docs: z.array(DocManifest).min(1).max(64),
});
export type HandoverOffer = z.infer<typeof HandoverOffer>;

/** The incoming case manager confirms, signed with her device key, that her copy equals the offer. */
export const HandoverReceipt = SignedEntry.extend({
  participantId: EntityId,
  offerHash: Hash,
  signKey: z.string().min(60).max(300),
});
export type HandoverReceipt = z.infer<typeof HandoverReceipt>;

/** The outgoing case manager passes the case responsibility (host role, admission) on. */
export const HandoverTransfer = SignedEntry.extend({
  from: EntityId,
  fromFingerprint: Fingerprint,
  to: EntityId,
  toFingerprint: Fingerprint,
  receiptHash: Hash,
});
export type HandoverTransfer = z.infer<typeof HandoverTransfer>;

/**
 * A short signed statement about the transfer: `ack` the incoming device took the case over;
 * `release` the outgoing device gives its copy up.
 */
export const HandoverNote = SignedEntry.extend({
  transferHash: Hash,
});
export type HandoverNote = z.infer<typeof HandoverNote>;

/**
 * What the outgoing device keeps of a case it handed over: no case content, no client name,
 * not even the case id. `reference` is a short code derived from the case id, so the line can
 * be matched with the case on the new case manager's device.
 */
export const HandedOver = z.object({
  v: z.literal(1),
  reference: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/),
  toName: z.string().trim().min(1).max(200),
  toTeam: Team,
  at: Timestamp,
});
export type HandedOver = z.infer<typeof HandedOver>;

/** A short, content-free reference to a case: the first eight hexadecimal digits of its id. */
export function caseReference(caseId: string): string {
  const hex = caseId.replace(/-/g, '').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}

/** Where the handover stands, step by step (step numbers as in issue 7). */
export type HandoverStage = 'none' | 'record' | 'offered' | 'received' | 'transferred' | 'acknowledged' | 'released';

import * as Y from 'yjs';
import type { CollectionName } from './collections.ts';

/**
 * Root types of a case's shared Y.Doc (docs/case-schema.md). Names are part of the
 * wire format: renaming one is a schema migration, not a refactor.
 */
export const ROOT = {
  meta: 'meta',
  /** Domain → DomainStatus. */
  domains: 'domains',
  /** nextReview, reviewMode. */
  plan: 'plan',
  /** `${goalId}:${participantId}` → Acceptance (plain object: one author per key). */
  acceptances: 'acceptances',
  /** epoch → KeyringEntry: the case room key after a removal, wrapped per remaining device. */
  keyring: 'keyring',
  /** `${epoch}:${fingerprint}` → ms: a device confirmed it has the new key. */
  keyringAcks: 'keyringAcks',
  /** scope → ScopeGrant: a further scope's current room key, wrapped per entitled device. */
  scopeGrants: 'scopeGrants',
  /** `proposal:<n>`, `response:<n>:<participantId>`, `frozen:<n>` → plain objects (src/case/versions.ts). */
  versions: 'versions',
  /** entry key (`${fingerprint}/${uuid}`) → signed AuditEntry, in the document of the item it is about (src/case/audit.ts). */
  audit: 'audit',
  /** fingerprint → AuditDeviceKeys: the public keys that check that device's audit entries. */
  auditDevices: 'auditDevices',
  /** The warm handover U25 → Ü25: record, offer, receipt, transfer (src/case/handover.ts). */
  handover: 'handover',
  /** Closure and evaluation of the case (src/case/closure.ts). */
  closure: 'closure',
} as const;

export const RICH_TEXT_FIELDS = ['ausgangslage'] as const;
export type RichTextField = (typeof RICH_TEXT_FIELDS)[number];

/** Entities are Y.Maps keyed by field; text fields are Y.Text for character-level merging. */
export type EntityMap = Y.Map<unknown>;

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.meta);
}
export function collectionMap(doc: Y.Doc, name: CollectionName): Y.Map<unknown> {
  return doc.getMap(name);
}
export function goalsMap(doc: Y.Doc): Y.Map<unknown> {
  return collectionMap(doc, 'goals');
}
export function stepsMap(doc: Y.Doc): Y.Map<unknown> {
  return collectionMap(doc, 'steps');
}
export function rootMap(doc: Y.Doc, name: Exclude<keyof typeof ROOT, 'meta'>): Y.Map<unknown> {
  return doc.getMap(ROOT[name]);
}
export function richTextFragment(doc: Y.Doc, field: RichTextField): Y.XmlFragment {
  return doc.getXmlFragment(field);
}

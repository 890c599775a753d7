import { z } from 'zod';
import { CONSENT_TOPICS, ConsentTopic, consentedTopics, topicOfDomain, type ConsentLike } from './consent.ts';
import type { IsoDate } from './dates.ts';
import type { Role } from './roles.ts';

export { topicOfDomain };

/**
 * Who may see an item: everyone at the table, only those released for its topic, or the
 * confidential circle (case manager, client, incoming case manager).
 */
export const Visibility = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('topic'), topic: ConsentTopic }),
  z.object({ kind: z.literal('confidential') }),
]);
export type Visibility = z.infer<typeof Visibility>;

export const VISIBLE_TO_ALL: Visibility = { kind: 'all' };

/**
 * A visibility scope: one document of the case each (`<caseId>/<scope>`, docs/case-schema.md),
 * so content a participant may not read never reaches their device.
 */
export type ScopeId = 'shared' | `topic:${ConsentTopic}` | 'confidential';

/** Every scope, in a fixed order. */
export const SCOPE_IDS: readonly ScopeId[] = ['shared', ...CONSENT_TOPICS.map((t) => `topic:${t}` as const), 'confidential'];

export function scopeOf(visibility: Visibility): ScopeId {
  switch (visibility.kind) {
    case 'all':
      return 'shared';
    case 'topic':
      return `topic:${visibility.topic}`;
    case 'confidential':
      return 'confidential';
  }
}

/** Roles that see the whole case: the case owner, the client and an incoming case manager. */
const FULL_ACCESS: ReadonlySet<Role> = new Set<Role>(['fallmanager', 'klient', 'nachfolge']);

export interface Reader {
  role: Role;
  partnerId?: string | undefined;
}

/**
 * The scopes a participant receives on `today`. The case manager, the client and an incoming
 * case manager get every scope; a partner gets the shared scope plus one scope per topic its
 * valid consents release. Relatives, a legal guardian and an interpreter get the shared scope
 * only (assumption: they sit at the table at the client's wish and hear what is said there,
 * but no topic is released to them; a guardian who needs more gets it through the case
 * manager, outside the table).
 */
export function scopesFor(participant: Reader, consents: readonly ConsentLike[], today: IsoDate): ScopeId[] {
  if (FULL_ACCESS.has(participant.role)) return [...SCOPE_IDS];
  if (participant.role !== 'partner') return ['shared'];
  const topics = consentedTopics(consents, participant.partnerId, today);
  return ['shared', ...CONSENT_TOPICS.filter((t) => topics.has(t)).map((t) => `topic:${t}` as const)];
}

export function mayRead(participant: Reader, consents: readonly ConsentLike[], visibility: Visibility, today: IsoDate): boolean {
  return scopesFor(participant, consents, today).includes(scopeOf(visibility));
}

/** An item the privacy check looks at; `topic` is absent for items of no particular topic. */
export interface PrivacyItem {
  id: string;
  collection: string;
  title: string;
  topic?: ConsentTopic | undefined;
  visibility: Visibility;
}

export interface PresentPerson extends Reader {
  name: string;
}

export interface PrivacyWarning {
  itemId: string;
  collection: string;
  title: string;
  topic: ConsentTopic;
  /** Present partners without consent for `topic`, each name once, in order of presence. */
  partnerNames: string[];
}

/**
 * The live privacy check: every item of a topic that is visible to everyone while a partner
 * at the table has no valid consent for that topic. Items restricted to their topic or kept
 * confidential, and items without a topic, never warn; nor do people other than partners.
 */
export function privacyWarnings(
  items: readonly PrivacyItem[],
  present: readonly PresentPerson[],
  consents: readonly ConsentLike[],
  today: IsoDate,
): PrivacyWarning[] {
  const partners = present
    .filter((p) => p.role === 'partner')
    .map((p) => ({ name: p.name, topics: consentedTopics(consents, p.partnerId, today) }));
  if (partners.length === 0) return [];
  const warnings: PrivacyWarning[] = [];
  for (const item of items) {
    if (item.topic === undefined || item.visibility.kind !== 'all') continue;
    const topic = item.topic;
    const names = [...new Set(partners.filter((p) => !p.topics.has(topic)).map((p) => p.name))];
    if (names.length > 0) {
      warnings.push({ itemId: item.id, collection: item.collection, title: item.title, topic, partnerNames: names });
    }
  }
  return warnings;
}


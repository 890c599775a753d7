import { z } from 'zod';
import { Domain } from './assessment.ts';
import { IsoDate, Timestamp } from './dates.ts';
import { EntityBase, Text } from './entity.ts';
import { EntityId } from './ids.ts';
import type { Role } from './roles.ts';

/**
 * What a client can release to a partner (domain guide section 5, 000 §4.2): the assessment
 * domains, plus money matters and the mutual exchange of information between the partner and
 * the Jobcenter. Built from the domains, so an item's domain always has a consent to ask for.
 */
export const ConsentTopic = z.enum([...Domain.options, 'finanzielles', 'austausch']);
export type ConsentTopic = z.infer<typeof ConsentTopic>;
export const CONSENT_TOPICS: readonly ConsentTopic[] = ConsentTopic.options;

/** The topic an assessment item of `domain` belongs to. */
export function topicOfDomain(domain: Domain): ConsentTopic {
  return domain;
}

/** How the consent was given. */
export const ConsentForm = z.enum(['schriftlich', 'muendlich']);
export type ConsentForm = z.infer<typeof ConsentForm>;

/**
 * Topics released, stored as a map topic → true (concurrent toggles of different topics all
 * survive). A partial record: zod 4's `z.record` with enum keys would demand every topic.
 */
export const ConsentTopics = z.partialRecord(ConsentTopic, z.literal(true));

/**
 * A Schweigepflichtentbindung / Einwilligung: the client releases one partner for some
 * topics, from a day, optionally until a day (inclusive), and can revoke it at any time.
 * A revoked consent stays on record; giving it again is a new consent.
 */
export const Consent = EntityBase.extend({
  partnerId: EntityId,
  topics: ConsentTopics.default({}),
  validFrom: IsoDate,
  validUntil: IsoDate.optional(),
  form: ConsentForm,
  revokedAt: Timestamp.optional(),
  note: Text.default(''),
});
export type Consent = z.infer<typeof Consent>;

/** What the consent's card says: in force, not yet, over, or withdrawn. */
export type ConsentStatus = 'gueltig' | 'noch_nicht_gueltig' | 'abgelaufen' | 'widerrufen';

/** The fields the rules look at; read entities and test fixtures both fit. */
export type ConsentLike = Pick<Consent, 'partnerId' | 'topics' | 'validFrom' | 'validUntil' | 'revokedAt'> & {
  deletedAt?: number | undefined;
};

/**
 * Status on `today` (ISO day). Revocation wins over dates; `validUntil` is the last valid day.
 * An end before the start is never in force (a concurrent edit can produce it; it is shown,
 * not rejected on read).
 */
export function consentStatus(consent: ConsentLike, today: IsoDate): ConsentStatus {
  if (consent.revokedAt !== undefined) return 'widerrufen';
  if (today < consent.validFrom) return 'noch_nicht_gueltig';
  if (consent.validUntil !== undefined && today > consent.validUntil) return 'abgelaufen';
  return 'gueltig';
}

/** In force on `today`: started, not ended, not revoked, not removed. */
export function isConsentValid(consent: ConsentLike, today: IsoDate): boolean {
  return consent.deletedAt === undefined && consentStatus(consent, today) === 'gueltig';
}

/** Topics released to `partnerId` on `today`: the union over all of its valid consents. */
export function consentedTopics(
  consents: readonly ConsentLike[],
  partnerId: string | undefined,
  today: IsoDate,
): Set<ConsentTopic> {
  const topics = new Set<ConsentTopic>();
  if (!partnerId) return topics;
  for (const consent of consents) {
    if (consent.partnerId !== partnerId || !isConsentValid(consent, today)) continue;
    for (const topic of CONSENT_TOPICS) if (consent.topics[topic] === true) topics.add(topic);
  }
  return topics;
}

/** Whether `partnerId` has at least one consent in force on `today`. */
export function hasValidConsent(consents: readonly ConsentLike[], partnerId: string | undefined, today: IsoDate): boolean {
  return !!partnerId && consents.some((c) => c.partnerId === partnerId && isConsentValid(c, today));
}

/**
 * Whether a participant may sit at the table. Only partners need a consent: a participant
 * with role `partner` needs a `partnerId` whose valid consents release at least one topic
 * (a consent releasing nothing is no release). Everyone else is admitted by their role.
 */
export function mayAdmitPartner(
  participant: { role: Role; partnerId?: string | undefined },
  consents: readonly ConsentLike[],
  today: IsoDate,
): boolean {
  if (participant.role !== 'partner') return true;
  return consentedTopics(consents, participant.partnerId, today).size > 0;
}

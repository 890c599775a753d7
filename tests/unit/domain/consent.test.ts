import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../../../src/domain/assessment.ts';
import {
  CONSENT_TOPICS,
  Consent,
  ConsentTopic,
  consentStatus,
  consentedTopics,
  hasValidConsent,
  isConsentValid,
  mayAdmitPartner,
  topicOfDomain,
  type ConsentLike,
} from '../../../src/domain/consent.ts';

const CARITAS = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const DROBS = '0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const TODAY = '2026-03-15';

function consent(over: Partial<ConsentLike> = {}): ConsentLike {
  return { partnerId: CARITAS, topics: { finanzen: true }, validFrom: '2026-03-01', ...over };
}

describe('ConsentTopic', () => {
  it('is the assessment domains plus Finanzielles and gegenseitiger Austausch', () => {
    expect(CONSENT_TOPICS).toEqual([...DOMAINS, 'finanzielles', 'austausch']);
    for (const d of DOMAINS) expect(topicOfDomain(d)).toBe(d);
    expect(ConsentTopic.safeParse('mond').success).toBe(false);
  });
});

describe('Consent schema', () => {
  const base = {
    id: '11111111-2222-4333-8444-555555555555',
    order: 'a0',
    createdAt: 1,
    partnerId: CARITAS,
    validFrom: '2026-03-01',
    form: 'muendlich',
  };

  it('reads a minimal consent with defaults for topics and note', () => {
    const parsed = Consent.parse(base);
    expect(parsed.topics).toEqual({});
    expect(parsed.note).toBe('');
  });

  it('accepts some topics, not all (a partial record)', () => {
    expect(Consent.parse({ ...base, topics: { gesundheit: true, austausch: true } }).topics).toEqual({
      gesundheit: true,
      austausch: true,
    });
  });

  it.each([
    ['unknown topic', { topics: { mond: true } }],
    ['topic not true', { topics: { gesundheit: false } }],
    ['impossible date', { validFrom: '2026-02-30' }],
    ['until not a date', { validUntil: 'morgen' }],
    ['unknown form', { form: 'per Fax' }],
    ['partner not an id', { partnerId: 'caritas' }],
    ['negative revocation time', { revokedAt: -1 }],
  ])('rejects %s', (_, over) => {
    expect(Consent.safeParse({ ...base, ...over }).success).toBe(false);
  });
});

describe('consentStatus and isConsentValid', () => {
  it('is valid from its first day through its last day', () => {
    const c = consent({ validFrom: '2026-03-01', validUntil: '2026-03-31' });
    for (const day of ['2026-03-01', '2026-03-15', '2026-03-31']) {
      expect(consentStatus(c, day)).toBe('gueltig');
      expect(isConsentValid(c, day)).toBe(true);
    }
  });

  it('without an end date stays valid', () => {
    expect(isConsentValid(consent(), '2030-01-01')).toBe(true);
  });

  it('is not yet valid before its first day', () => {
    const c = consent({ validFrom: '2026-04-01' });
    expect(consentStatus(c, TODAY)).toBe('noch_nicht_gueltig');
    expect(isConsentValid(c, TODAY)).toBe(false);
  });

  it('is expired after its last day', () => {
    const c = consent({ validUntil: '2026-03-14' });
    expect(consentStatus(c, TODAY)).toBe('abgelaufen');
    expect(isConsentValid(c, TODAY)).toBe(false);
  });

  it('is revoked once revokedAt is set, whatever the dates say', () => {
    const c = consent({ revokedAt: 1_700_000_000_000 });
    expect(consentStatus(c, TODAY)).toBe('widerrufen');
    expect(isConsentValid(c, TODAY)).toBe(false);
    expect(consentStatus(consent({ revokedAt: 0, validFrom: '2027-01-01' }), TODAY)).toBe('widerrufen');
  });

  it('is never in force when its end lies before its start', () => {
    const c = consent({ validFrom: '2026-03-20', validUntil: '2026-03-10' });
    for (const day of ['2026-03-05', '2026-03-15', '2026-03-25']) expect(isConsentValid(c, day)).toBe(false);
  });

  it('a removed consent is not valid', () => {
    expect(isConsentValid({ ...consent(), deletedAt: 5 }, TODAY)).toBe(false);
  });
});

describe('consentedTopics and hasValidConsent', () => {
  it('is the union of topics over the valid consents of that partner', () => {
    const consents = [
      consent({ topics: { finanzen: true } }),
      consent({ topics: { wohnen: true, austausch: true } }),
      consent({ topics: { gesundheit: true }, validUntil: '2026-03-01' }), // expired
      consent({ topics: { recht: true }, revokedAt: 10 }), // revoked
      consent({ topics: { familie: true }, validFrom: '2026-06-01' }), // not yet valid
      consent({ topics: { intrapsychisch: true }, partnerId: DROBS }), // other partner
    ];
    expect([...consentedTopics(consents, CARITAS, TODAY)].sort()).toEqual(['austausch', 'finanzen', 'wohnen']);
    expect([...consentedTopics(consents, DROBS, TODAY)]).toEqual(['intrapsychisch']);
    expect(hasValidConsent(consents, CARITAS, TODAY)).toBe(true);
  });

  it('is empty for a partner whose only consent belongs to someone else, or without a partner id', () => {
    const consents = [consent({ partnerId: DROBS })];
    expect(consentedTopics(consents, CARITAS, TODAY).size).toBe(0);
    expect(hasValidConsent(consents, CARITAS, TODAY)).toBe(false);
    expect(consentedTopics(consents, undefined, TODAY).size).toBe(0);
    expect(hasValidConsent(consents, undefined, TODAY)).toBe(false);
  });

  it('a topic missing from the consent is not released', () => {
    expect(consentedTopics([consent({ topics: { finanzen: true } })], CARITAS, TODAY).has('gesundheit')).toBe(false);
  });

  it('no valid consent when the only one expired, was revoked or has not started', () => {
    for (const c of [consent({ validUntil: '2026-03-01' }), consent({ revokedAt: 1 }), consent({ validFrom: '2026-12-01' })]) {
      expect(hasValidConsent([c], CARITAS, TODAY)).toBe(false);
    }
  });
});

describe('mayAdmitPartner', () => {
  const valid = [consent()];

  it('admits a partner with a valid consent that releases a topic', () => {
    expect(mayAdmitPartner({ role: 'partner', partnerId: CARITAS }, valid, TODAY)).toBe(true);
  });

  it('refuses a partner without partner id, with another partner’s consent, or with none in force', () => {
    expect(mayAdmitPartner({ role: 'partner' }, valid, TODAY)).toBe(false);
    expect(mayAdmitPartner({ role: 'partner', partnerId: DROBS }, valid, TODAY)).toBe(false);
    expect(mayAdmitPartner({ role: 'partner', partnerId: CARITAS }, [consent({ revokedAt: 1 })], TODAY)).toBe(false);
    expect(mayAdmitPartner({ role: 'partner', partnerId: CARITAS }, [consent({ validUntil: '2026-03-02' })], TODAY)).toBe(false);
    expect(mayAdmitPartner({ role: 'partner', partnerId: CARITAS }, [], TODAY)).toBe(false);
  });

  it('refuses a partner whose valid consent releases no topic', () => {
    expect(mayAdmitPartner({ role: 'partner', partnerId: CARITAS }, [consent({ topics: {} })], TODAY)).toBe(false);
  });

  it('does not ask other roles for a consent', () => {
    for (const role of ['fallmanager', 'klient', 'angehoerige', 'betreuung', 'dolmetscher', 'nachfolge'] as const) {
      expect(mayAdmitPartner({ role }, [], TODAY)).toBe(true);
    }
  });
});

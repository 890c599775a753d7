import { describe, expect, it } from 'vitest';
import { CONSENT_TOPICS, type ConsentLike } from '../../../src/domain/consent.ts';
import {
  SCOPE_IDS,
  Visibility,
  mayRead,
  privacyWarnings,
  scopeOf,
  scopesFor,
  topicOfDomain,
  type PrivacyItem,
} from '../../../src/domain/visibility.ts';

const CARITAS = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const DROBS = '0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const TODAY = '2026-03-15';

const caritasMoney: ConsentLike = { partnerId: CARITAS, topics: { finanzen: true, austausch: true }, validFrom: '2026-03-01' };
const drobsHealth: ConsentLike = { partnerId: DROBS, topics: { gesundheit: true }, validFrom: '2026-03-01' };
const consents = [caritasMoney, drobsHealth];

describe('Visibility and scopes', () => {
  it('parses the three kinds and rejects anything else', () => {
    expect(Visibility.parse({ kind: 'all' })).toEqual({ kind: 'all' });
    expect(Visibility.parse({ kind: 'topic', topic: 'recht' })).toEqual({ kind: 'topic', topic: 'recht' });
    expect(Visibility.parse({ kind: 'confidential' })).toEqual({ kind: 'confidential' });
    expect(Visibility.safeParse({ kind: 'topic' }).success).toBe(false);
    expect(Visibility.safeParse({ kind: 'topic', topic: 'mond' }).success).toBe(false);
    expect(Visibility.safeParse({ kind: 'secret' }).success).toBe(false);
  });

  it('maps each visibility to its scope', () => {
    expect(scopeOf({ kind: 'all' })).toBe('shared');
    expect(scopeOf({ kind: 'topic', topic: 'gesundheit' })).toBe('topic:gesundheit');
    expect(scopeOf({ kind: 'confidential' })).toBe('confidential');
    expect(SCOPE_IDS).toHaveLength(CONSENT_TOPICS.length + 2);
  });

  it('topicOfDomain: an assessment item belongs to the topic of its domain', () => {
    expect(topicOfDomain('finanzen')).toBe('finanzen');
    expect(topicOfDomain('recht')).toBe('recht');
  });
});

describe('scopesFor', () => {
  it('gives the case manager, the client and an incoming case manager every scope', () => {
    for (const role of ['fallmanager', 'klient', 'nachfolge'] as const) {
      expect(scopesFor({ role }, [], TODAY)).toEqual(SCOPE_IDS);
    }
  });

  it('gives a partner the shared scope plus its consented topics', () => {
    expect(scopesFor({ role: 'partner', partnerId: CARITAS }, consents, TODAY)).toEqual([
      'shared',
      'topic:finanzen',
      'topic:austausch',
    ]);
    expect(scopesFor({ role: 'partner', partnerId: DROBS }, consents, TODAY)).toEqual(['shared', 'topic:gesundheit']);
  });

  it('gives a partner no topic scope once its consent is revoked or expired, nor without a partner id', () => {
    expect(scopesFor({ role: 'partner', partnerId: CARITAS }, [{ ...caritasMoney, revokedAt: 1 }], TODAY)).toEqual(['shared']);
    expect(scopesFor({ role: 'partner', partnerId: CARITAS }, [{ ...caritasMoney, validUntil: '2026-03-14' }], TODAY)).toEqual([
      'shared',
    ]);
    expect(scopesFor({ role: 'partner' }, consents, TODAY)).toEqual(['shared']);
  });

  it('gives relatives, a guardian and an interpreter the shared scope only', () => {
    for (const role of ['angehoerige', 'betreuung', 'dolmetscher'] as const) {
      expect(scopesFor({ role, partnerId: CARITAS }, consents, TODAY)).toEqual(['shared']);
    }
  });
});

describe('mayRead', () => {
  const caritas = { role: 'partner' as const, partnerId: CARITAS };

  it('a partner reads shared items and those of its topics, nothing confidential', () => {
    expect(mayRead(caritas, consents, { kind: 'all' }, TODAY)).toBe(true);
    expect(mayRead(caritas, consents, { kind: 'topic', topic: 'finanzen' }, TODAY)).toBe(true);
    expect(mayRead(caritas, consents, { kind: 'topic', topic: 'gesundheit' }, TODAY)).toBe(false);
    expect(mayRead(caritas, consents, { kind: 'confidential' }, TODAY)).toBe(false);
  });

  it('the client and an incoming case manager read confidential items; an interpreter does not', () => {
    expect(mayRead({ role: 'klient' }, [], { kind: 'confidential' }, TODAY)).toBe(true);
    expect(mayRead({ role: 'nachfolge' }, [], { kind: 'confidential' }, TODAY)).toBe(true);
    expect(mayRead({ role: 'dolmetscher' }, [], { kind: 'confidential' }, TODAY)).toBe(false);
    expect(mayRead({ role: 'dolmetscher' }, [], { kind: 'topic', topic: 'familie' }, TODAY)).toBe(false);
  });
});

describe('privacyWarnings', () => {
  const debts: PrivacyItem = { id: 'i1', collection: 'assessment', title: 'Schulden', topic: 'finanzen', visibility: { kind: 'all' } };
  const addiction: PrivacyItem = { id: 'i2', collection: 'assessment', title: 'Sucht', topic: 'gesundheit', visibility: { kind: 'all' } };
  const noTopic: PrivacyItem = { id: 'i3', collection: 'goals', title: 'Ausbildung', visibility: { kind: 'all' } };
  const host = { role: 'fallmanager' as const, name: 'Frau Lindqvist' };
  const client = { role: 'klient' as const, name: 'Jonas' };
  const petrov = { role: 'partner' as const, partnerId: CARITAS, name: 'Herr Petrov' };
  const drobs = { role: 'partner' as const, partnerId: DROBS, name: 'Frau Aydin' };

  it('warns when a present partner lacks consent for the topic of an item shared with all', () => {
    expect(privacyWarnings([debts, addiction, noTopic], [host, client, petrov], consents, TODAY)).toEqual([
      { itemId: 'i2', collection: 'assessment', title: 'Sucht', topic: 'gesundheit', partnerNames: ['Herr Petrov'] },
    ]);
  });

  it('names every present partner without consent, each once', () => {
    const warnings = privacyWarnings([debts, addiction], [petrov, drobs, { ...drobs }], consents, TODAY);
    expect(warnings).toEqual([
      { itemId: 'i1', collection: 'assessment', title: 'Schulden', topic: 'finanzen', partnerNames: ['Frau Aydin'] },
      { itemId: 'i2', collection: 'assessment', title: 'Sucht', topic: 'gesundheit', partnerNames: ['Herr Petrov'] },
    ]);
  });

  it('disappears once the item is restricted to its topic or kept confidential', () => {
    const restricted = { ...addiction, visibility: { kind: 'topic', topic: 'gesundheit' } } as const;
    const confidential = { ...addiction, visibility: { kind: 'confidential' } } as const;
    expect(privacyWarnings([restricted, confidential], [petrov], consents, TODAY)).toEqual([]);
  });

  it('disappears once the partner leaves the table or is given consent for the topic', () => {
    expect(privacyWarnings([addiction], [host, client], consents, TODAY)).toEqual([]);
    const withHealth: ConsentLike = { partnerId: CARITAS, topics: { gesundheit: true }, validFrom: '2026-03-10' };
    expect(privacyWarnings([addiction], [petrov], [...consents, withHealth], TODAY)).toEqual([]);
  });

  it('appears again when that consent is revoked or runs out', () => {
    const withHealth: ConsentLike = { partnerId: CARITAS, topics: { gesundheit: true }, validFrom: '2026-03-10', validUntil: '2026-03-20' };
    expect(privacyWarnings([addiction], [petrov], [withHealth], TODAY)).toEqual([]);
    expect(privacyWarnings([addiction], [petrov], [withHealth], '2026-03-21')).toHaveLength(1);
    expect(privacyWarnings([addiction], [petrov], [{ ...withHealth, revokedAt: 1 }], TODAY)).toHaveLength(1);
  });

  it('treats a present partner without a partner id as having no consent', () => {
    const unknown = { role: 'partner' as const, name: 'Gast' };
    expect(privacyWarnings([debts], [unknown], consents, TODAY)[0]?.partnerNames).toEqual(['Gast']);
  });

  it('does not warn about people other than partners', () => {
    const others = (['angehoerige', 'betreuung', 'dolmetscher', 'nachfolge'] as const).map((role) => ({ role, name: role }));
    expect(privacyWarnings([debts, addiction], [host, client, ...others], consents, TODAY)).toEqual([]);
  });
});

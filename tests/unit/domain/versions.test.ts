import { describe, expect, it } from 'vitest';
import {
  Proposal,
  VersionResponse,
  diffVersions,
  freezingSignatures,
  isFrozen,
  missingReasons,
  requiredResponders,
  responseStatus,
  type PlanContent,
  type VersionResponse as Response,
} from '../../../src/domain/versions.ts';

const CASE = '00000000-0000-4000-8000-000000000000';
const FM = '00000000-0000-4000-8000-000000000001';
const KL = '00000000-0000-4000-8000-000000000002';
const PA = '00000000-0000-4000-8000-000000000003';
const PB = '00000000-0000-4000-8000-000000000004';
const REL = '00000000-0000-4000-8000-000000000005';
const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const G1 = '00000000-0000-4000-8000-0000000000a1';
const G2 = '00000000-0000-4000-8000-0000000000a2';
const S1 = '00000000-0000-4000-8000-0000000000b1';
const HASH = 'A'.repeat(43);
const SIG = 'B'.repeat(86);

function content(over: Partial<PlanContent> = {}): PlanContent {
  return {
    format: 1,
    caseId: CASE,
    caseName: 'Jonas B.',
    team: 'U25',
    participants: [
      { id: FM, name: 'Frau Wagner', role: 'fallmanager', organisation: '', fingerprint: 'AAAA' },
      { id: KL, name: 'Jonas', role: 'klient', organisation: '', fingerprint: 'BBBB' },
      { id: PA, name: 'Herr Kaya', role: 'partner', organisation: 'Schuldnerberatung', partnerId: ORG_A, fingerprint: 'CCCC' },
      { id: PB, name: 'Frau Lenz', role: 'partner', organisation: 'Bildungsträger', partnerId: ORG_B, fingerprint: 'DDDD' },
      { id: REL, name: 'Mutter', role: 'angehoerige', organisation: '', fingerprint: 'EEEE' },
    ],
    goals: [
      { id: G1, level: 'haupt', priority: 1, title: 'Ausbildung beginnen', clientWords: 'Ich will Kfz-Mechatroniker werden', indicator: 'Vertrag', status: 'offen', due: '2027-08-01', missedReason: '' },
    ],
    steps: [
      { id: S1, what: 'Schuldnerberatung', who: 'Herr Kaya', partnerId: ORG_A, due: '2027-01-15', criterion: '', status: 'offen', ownActivity: false, gap: false, condition: '' },
    ],
    situation: 'Jonas lebt bei seiner Mutter.',
    reasons: {},
    withheld: 0,
    ...over,
  };
}

function proposal(c = content()): Proposal {
  return Proposal.parse({ number: 1, proposedAt: 1, proposedBy: FM, hash: HASH, content: c });
}
const accept = (participantId: string, at = 10, hash = HASH): Response =>
  VersionResponse.parse({ kind: 'accept', number: 1, participantId, hash, at, signKey: 'k'.repeat(120), signature: SIG });
const think = (participantId: string, at = 5): Response =>
  VersionResponse.parse({ kind: 'bedenkzeit', number: 1, participantId, hash: HASH, at, signKey: 'k'.repeat(120), signature: SIG, reason: '' });

describe('who has to accept', () => {
  it('is the client, the case manager and partners who carry a step; not relatives or partners without a step', () => {
    expect(requiredResponders(content())).toEqual([FM, KL, PA]);
  });
});

describe('freezing', () => {
  it('freezes only when every required participant currently accepts', () => {
    const p = proposal();
    expect(isFrozen(p, [accept(FM), think(KL), accept(PA)])).toBe(false);
    // Bedenkzeit first, then yes: the later answer counts.
    expect(isFrozen(p, [accept(FM), think(KL, 5), accept(KL, 20), accept(PA)])).toBe(true);
    expect(freezingSignatures(p, [accept(FM), accept(KL), accept(PA), accept(REL)])!.map((s) => s.participantId)).toEqual([FM, KL, PA, REL]);
  });

  it('ignores answers to other content and from people not in the version', () => {
    const p = proposal();
    const other = 'C'.repeat(43);
    expect(isFrozen(p, [accept(FM), accept(KL, 10, other), accept(PA)])).toBe(false);
    const stranger = '00000000-0000-4000-8000-0000000000ff';
    expect(responseStatus(p, [accept(stranger)]).size).toBe(0);
  });

  it('a decline needs a reason', () => {
    const signed = { number: 1, participantId: KL, hash: HASH, at: 1, signKey: 'k'.repeat(120), signature: SIG };
    expect(VersionResponse.safeParse({ kind: 'decline', ...signed, reason: ' ' }).success).toBe(false);
    expect(VersionResponse.safeParse({ kind: 'decline', ...signed, reason: 'Zu früh' }).success).toBe(true);
    // Unsigned answers are not answers.
    expect(VersionResponse.safeParse({ kind: 'decline', number: 1, participantId: KL, hash: HASH, at: 1, reason: 'Zu früh' }).success).toBe(false);
  });
});

describe('differences between versions', () => {
  it('lists goals and steps added, changed and removed, and a moved due date with its reason', () => {
    const before = content();
    const G2goal = { ...before.goals[0]!, id: G2, level: 'teil' as const, title: 'Führerschein', clientWords: '', due: '2027-03-01' };
    const after = content({
      goals: [{ ...before.goals[0]!, title: 'Ausbildung als Kfz-Mechatroniker beginnen' }, G2goal],
      steps: [{ ...before.steps[0]!, due: '2027-02-28' }],
      reasons: { [S1]: 'Termin bei der Beratung erst im Februar frei' },
      nextReview: '2027-02-01',
    });
    const diff = diffVersions(before, after, '2026-11-23');
    expect(diff.goals.map((g) => [g.kind, g.id])).toEqual([
      ['changed', G1],
      ['added', G2],
    ]);
    expect(diff.goals[0]!.fields).toEqual([{ field: 'title', before: 'Ausbildung beginnen', after: 'Ausbildung als Kfz-Mechatroniker beginnen' }]);
    expect(diff.steps[0]!.fields).toEqual([{ field: 'due', before: '2027-01-15', after: '2027-02-28' }]);
    expect(diff.dates).toContainEqual(
      expect.objectContaining({ of: 'step', id: S1, kind: 'moved', before: '2027-01-15', after: '2027-02-28', reason: 'Termin bei der Beratung erst im Februar frei' }),
    );
    expect(diff.dates).toContainEqual(expect.objectContaining({ of: 'review', kind: 'set', after: '2027-02-01' }));
    const removed = diffVersions(after, before, '2026-11-23');
    expect(removed.goals).toContainEqual(expect.objectContaining({ kind: 'removed', id: G2 }));
  });

  it('requires a reason for a moved or missed due date; a goal’s missedReason counts', () => {
    const before = content();
    const moved = content({ steps: [{ ...before.steps[0]!, due: '2027-02-28' }] });
    expect(missingReasons(before, moved, '2026-11-23').map((d) => d.id)).toEqual([S1]);
    expect(missingReasons(before, { ...moved, reasons: { [S1]: 'später frei' } }, '2026-11-23')).toEqual([]);
    // Past due and still open: missed.
    const late = content({ goals: [{ ...before.goals[0]!, due: '2026-10-01' }] });
    expect(missingReasons(late, late, '2026-11-23').map((d) => [d.id, d.kind])).toEqual([[G1, 'missed']]);
    const explained = content({ goals: [{ ...before.goals[0]!, due: '2026-10-01', missedReason: 'Krank' }] });
    expect(missingReasons(explained, explained, '2026-11-23')).toEqual([]);
    const reached = content({ goals: [{ ...before.goals[0]!, due: '2026-10-01', status: 'erreicht' }] });
    expect(missingReasons(reached, reached, '2026-11-23')).toEqual([]);
  });
});


import { describe, expect, it } from 'vitest';
import type { AssessmentItem, Domain, DomainStatus } from '../../../src/domain/assessment.ts';
import { DOMAINS } from '../../../src/domain/assessment.ts';
import type { Goal, Step } from '../../../src/domain/case.ts';
import type { Acceptance, Dissent, Participant } from '../../../src/domain/participants.ts';
import { acceptanceKey } from '../../../src/domain/participants.ts';
import {
  QUALITY_MESSAGE_KEYS,
  RULE_IDS,
  checkAssessmentDomains,
  checkAssessmentResources,
  checkClientAccepted,
  checkGaps,
  checkGoalDue,
  checkGoalIndicator,
  checkMainGoal,
  checkMissedReasons,
  checkNeedsMapped,
  checkOpenDissent,
  checkOwnActivity,
  checkPriorities,
  checkQuality,
  checkReview,
  checkStepDue,
  checkStepResponsible,
  checkSubGoalResponsible,
  countByStatus,
  sortByStatus,
  type QualityInput,
  type QualityItem,
} from '../../../src/domain/quality/index.ts';
import * as qualityMessages from '../../../src/i18n/messages/quality.ts';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';

const TODAY = '2026-03-10';
let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function goal(over: Partial<Goal> = {}): Goal {
  return {
    id: uuid(),
    order: 'a0',
    createdAt: 1,
    level: 'teil',
    title: 'Eigene Wohnung',
    clientWords: '',
    indicator: 'Mietvertrag unterschrieben',
    due: '2027-02-28',
    status: 'offen',
    needs: {},
    missedReason: '',
    ...over,
  };
}

function step(over: Partial<Step> = {}): Step {
  return {
    id: uuid(),
    order: 'a0',
    createdAt: 1,
    what: 'Gläubigerbriefe sammeln',
    who: 'Jonas',
    due: '2026-03-24',
    status: 'offen',
    criterion: '',
    ownActivity: false,
    gap: false,
    gapDescription: '',
    condition: '',
    ...over,
  };
}

function assessmentItem(over: Partial<AssessmentItem> = {}): AssessmentItem {
  return {
    id: uuid(),
    order: 'a0',
    createdAt: 1,
    domain: 'finanzen',
    kind: 'bedarf',
    clientView: 'Schulden',
    professionalView: '',
    divergence: '',
    disposition: 'im_plan',
    dispositionReason: '',
    ...over,
  };
}

function participant(over: Partial<Participant> = {}): Participant {
  return { id: uuid(), order: 'a0', createdAt: 1, name: 'Jonas', role: 'klient', organisation: '', ...over };
}

function acceptance(goalId: string, participantId: string, state: Acceptance['state']): Acceptance {
  return { id: acceptanceKey(goalId, participantId), goalId, participantId, state, at: 1, reason: '' };
}

function dissent(over: Partial<Dissent> = {}): Dissent {
  return { id: uuid(), order: 'a0', createdAt: 1, text: 'Drogentest', resolution: '', ...over };
}

function domains(over: Partial<Record<Domain, DomainStatus>> = {}): Record<Domain, DomainStatus> {
  return { ...(Object.fromEntries(DOMAINS.map((d) => [d, 'offen'])) as Record<Domain, DomainStatus>), ...over };
}

function input(over: Partial<QualityInput> = {}): QualityInput {
  return {
    goals: [],
    steps: [],
    assessment: [],
    domains: domains(),
    plan: {},
    acceptances: [],
    participants: [],
    partners: [],
    infoFlows: [],
    dissents: [],
    ...over,
  };
}

const statuses = (items: QualityItem[]) => items.map((i) => i.status);
const keys = (items: QualityItem[]) => items.map((i) => i.message.key);

describe('main goal and priorities', () => {
  it('is green with a Hauptziel and red without one', () => {
    expect(statuses(checkMainGoal(input({ goals: [goal({ level: 'haupt' })] })))).toEqual(['green']);
    const none = checkMainGoal(input({ goals: [goal({ level: 'teil' })] }));
    expect(none).toEqual([
      { rule: 'mainGoal', status: 'red', message: { key: 'quality.mainGoal.missing', params: {} }, target: { collection: 'goals' } },
    ]);
  });

  it('does not count a deleted or declined Hauptziel', () => {
    const gone = goal({ level: 'haupt', deletedAt: 5 });
    const declined = goal({ level: 'haupt', status: 'abgelehnt' });
    expect(statuses(checkMainGoal(input({ goals: [gone, declined] })))).toEqual(['red']);
  });

  it('is green with a Teilziel and amber without', () => {
    expect(checkPriorities(input({ goals: [goal(), goal()] }))[0]).toMatchObject({ status: 'green', message: { params: { count: 2 } } });
    expect(statuses(checkPriorities(input({ goals: [goal({ level: 'haupt' })] })))).toEqual(['amber']);
  });
});

describe('goals are measurable and dated', () => {
  it('names each goal without an indicator', () => {
    const ok = goal();
    const blank = goal({ indicator: '  ', title: 'Eigene Wohnung' });
    const untitled = goal({ indicator: '', title: '' });
    expect(statuses(checkGoalIndicator(input({ goals: [ok] })))).toEqual(['green']);
    const items = checkGoalIndicator(input({ goals: [ok, blank, untitled] }));
    expect(items).toEqual([
      { rule: 'goalIndicator', status: 'red', message: { key: 'quality.goalIndicator.missing', params: { title: 'Eigene Wohnung' } }, target: { collection: 'goals', id: blank.id } },
      { rule: 'goalIndicator', status: 'red', message: { key: 'quality.goalIndicator.missing', params: { title: '' } }, target: { collection: 'goals', id: untitled.id } },
    ]);
  });

  it('names each goal without a due date, skipping declined and deferred goals', () => {
    const undated = goal({ due: undefined });
    const deferred = goal({ due: undefined, status: 'zurueckgestellt' });
    const declined = goal({ due: undefined, status: 'abgelehnt' });
    expect(statuses(checkGoalDue(input({ goals: [goal(), deferred, declined] })))).toEqual(['green']);
    const items = checkGoalDue(input({ goals: [goal(), undated, deferred] }));
    expect(items.map((i) => [i.status, i.target?.id])).toEqual([['red', undated.id]]);
  });

  it('shortens long titles to one line', () => {
    const long = goal({ indicator: '', title: `Ausbildung\n${'x'.repeat(100)}` });
    const title = String(checkGoalIndicator(input({ goals: [long] }))[0]?.message.params.title);
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title).toMatch(/^Ausbildung x+…$/);
  });
});

describe('responsibility', () => {
  it('wants a step with someone responsible for every Teilziel', () => {
    const wohnung = goal({ title: 'Eigene Wohnung' });
    const haupt = goal({ level: 'haupt', title: 'Ausbildung' });
    const fail = checkSubGoalResponsible(input({ goals: [haupt, wohnung], steps: [step({ goalId: wohnung.id, who: ' ', responsible: undefined })] }));
    expect(fail).toEqual([
      {
        rule: 'subGoalResponsible',
        status: 'red',
        message: { key: 'quality.subGoalResponsible.missing', params: { title: 'Eigene Wohnung' } },
        target: { collection: 'goals', id: wohnung.id },
      },
    ]);
    const byRole = checkSubGoalResponsible(input({ goals: [haupt, wohnung], steps: [step({ goalId: wohnung.id, who: '', responsible: 'partner' })] }));
    const byName = checkSubGoalResponsible(input({ goals: [wohnung], steps: [step({ goalId: wohnung.id, who: 'Herr Wolff' })] }));
    expect(statuses(byRole)).toEqual(['green']);
    expect(statuses(byName)).toEqual(['green']);
  });

  it('does not count a step for another goal or a dropped step', () => {
    const wohnung = goal();
    const other = goal();
    const items = checkSubGoalResponsible(
      input({ goals: [wohnung, other], steps: [step({ goalId: other.id }), step({ goalId: wohnung.id, status: 'entfallen' })] }),
    );
    expect(items.map((i) => [i.status, i.target?.id])).toEqual([['red', wohnung.id]]);
  });

  it('wants a due date on every step', () => {
    const undated = step({ due: undefined, what: 'Platz reservieren' });
    expect(statuses(checkStepDue(input({ steps: [step(), step({ due: undefined, status: 'entfallen' })] })))).toEqual(['green']);
    expect(checkStepDue(input({ steps: [step(), undated] }))).toEqual([
      { rule: 'stepDue', status: 'red', message: { key: 'quality.stepDue.missing', params: { what: 'Platz reservieren' } }, target: { collection: 'steps', id: undated.id } },
    ]);
  });

  it('wants someone responsible for every step', () => {
    const nobody = step({ who: '', responsible: undefined });
    expect(statuses(checkStepResponsible(input({ steps: [step(), step({ who: '', responsible: 'klient' })] })))).toEqual(['green']);
    expect(checkStepResponsible(input({ steps: [step(), nobody] })).map((i) => [i.status, i.target])).toEqual([
      ['red', { collection: 'steps', id: nobody.id }],
    ]);
  });

  it("wants the client's own activities in the plan", () => {
    expect(checkOwnActivity(input({ steps: [step({ ownActivity: true }), step()] }))[0]).toMatchObject({
      status: 'green',
      message: { params: { count: 1 } },
    });
    expect(checkOwnActivity(input({ steps: [step(), step({ ownActivity: true, deletedAt: 3 })] }))).toEqual([
      { rule: 'ownActivity', status: 'amber', message: { key: 'quality.ownActivity.none', params: {} }, target: { collection: 'steps' } },
    ]);
  });
});

describe('review', () => {
  it('is green with a future date and a mode', () => {
    expect(checkReview(input({ plan: { nextReview: '2026-05-05', reviewMode: 'fallkonferenz' } }), TODAY)).toEqual([
      { rule: 'review', status: 'green', message: { key: 'quality.review.ok', params: { date: '2026-05-05' } } },
    ]);
    expect(statuses(checkReview(input({ plan: { nextReview: TODAY, reviewMode: 'telefon' } }), TODAY))).toEqual(['green']);
  });

  it('is red when date or mode is missing', () => {
    expect(keys(checkReview(input(), TODAY))).toEqual(['quality.review.missingBoth']);
    expect(keys(checkReview(input({ plan: { reviewMode: 'gespraech' } }), TODAY))).toEqual(['quality.review.missingDate']);
    expect(keys(checkReview(input({ plan: { nextReview: '2026-05-05' } }), TODAY))).toEqual(['quality.review.missingMode']);
    expect(statuses(checkReview(input({ plan: { nextReview: '2026-05-05' } }), TODAY))).toEqual(['red']);
  });

  it('is amber when the date has passed', () => {
    expect(checkReview(input({ plan: { nextReview: '2026-03-09', reviewMode: 'gespraech' } }), TODAY)).toEqual([
      { rule: 'review', status: 'amber', message: { key: 'quality.review.past', params: { date: '2026-03-09' } }, target: { collection: 'plan' } },
    ]);
  });
});

describe('assessment', () => {
  it('wants every need answered by a goal or set aside with a reason', () => {
    const linked = assessmentItem({ clientView: 'Schulden' });
    const declined = assessmentItem({ disposition: 'abgelehnt', dispositionReason: 'Jonas möchte das nicht' });
    const resource = assessmentItem({ kind: 'ressource' });
    const withGoal = goal({ needs: { [linked.id]: true } });
    expect(statuses(checkNeedsMapped(input({ assessment: [linked, declined, resource], goals: [withGoal] })))).toEqual(['green']);

    const loose = assessmentItem({ clientView: '', professionalView: 'Wohnsituation unsicher' });
    const noReason = assessmentItem({ disposition: 'kein_angebot', dispositionReason: ' ', clientView: 'Betreutes Wohnen' });
    const deletedGoal = goal({ needs: { [loose.id]: true }, deletedAt: 9 });
    expect(checkNeedsMapped(input({ assessment: [loose, noReason], goals: [deletedGoal] }))).toEqual([
      { rule: 'needsMapped', status: 'red', message: { key: 'quality.needsMapped.unmapped', params: { need: 'Wohnsituation unsicher' } }, target: { collection: 'assessment', id: loose.id } },
      { rule: 'needsMapped', status: 'red', message: { key: 'quality.needsMapped.noReason', params: { need: 'Betreutes Wohnen' } }, target: { collection: 'assessment', id: noReason.id } },
    ]);
  });

  it('wants at least three domains looked at (marked or with entries)', () => {
    const three = input({ domains: domains({ wohnen: 'betrachtet', finanzen: 'betrachtet' }), assessment: [assessmentItem({ domain: 'gesundheit' })] });
    expect(checkAssessmentDomains(three)[0]).toMatchObject({ status: 'green', message: { params: { count: 3 } } });
    const two = input({ domains: domains({ wohnen: 'betrachtet', recht: 'abgelehnt' }), assessment: [assessmentItem({ domain: 'wohnen' }), assessmentItem({ domain: 'gesundheit', deletedAt: 2 })] });
    expect(checkAssessmentDomains(two)).toEqual([
      { rule: 'assessmentDomains', status: 'amber', message: { key: 'quality.assessmentDomains.few', params: { count: 1, min: 3 } }, target: { collection: 'domains' } },
    ]);
  });

  it('wants at least two resources named', () => {
    const r = (text: string) => assessmentItem({ kind: 'ressource', clientView: text });
    expect(statuses(checkAssessmentResources(input({ assessment: [r('zuverlässig'), r('kann gut schrauben')] })))).toEqual(['green']);
    const one = checkAssessmentResources(input({ assessment: [r('zuverlässig'), r('  '), assessmentItem()] }));
    expect(one).toEqual([
      { rule: 'assessmentResources', status: 'amber', message: { key: 'quality.assessmentResources.few', params: { count: 1, min: 2 } }, target: { collection: 'assessment' } },
    ]);
  });
});

describe('gaps', () => {
  it('is green with no gaps and with described gaps', () => {
    expect(keys(checkGaps(input({ steps: [step()] })))).toEqual(['quality.gaps.none']);
    const described = step({ gap: true, gapDescription: 'betreutes Wohnen U25, Wartezeit 9 Monate' });
    expect(checkGaps(input({ steps: [described] }))).toEqual([
      { rule: 'gaps', status: 'green', message: { key: 'quality.gaps.ok', params: { count: 1 } } },
    ]);
  });

  it('is red per gap without a description', () => {
    const bare = step({ gap: true, gapDescription: '', what: 'Wohnprojekt' });
    expect(checkGaps(input({ steps: [bare, step({ gap: true, gapDescription: 'x' })] }))).toEqual([
      { rule: 'gaps', status: 'red', message: { key: 'quality.gaps.undescribed', params: { what: 'Wohnprojekt' } }, target: { collection: 'steps', id: bare.id } },
    ]);
  });
});

describe('client acceptance', () => {
  it('is amber while no client is at the table', () => {
    const g = goal();
    const partner = participant({ role: 'partner', name: 'Herr Wolff' });
    expect(checkClientAccepted(input({ goals: [g], participants: [partner] }))).toEqual([
      { rule: 'clientAccepted', status: 'amber', message: { key: 'quality.clientAccepted.noClient', params: {} } },
    ]);
  });

  it('is green when the client agreed to every goal', () => {
    const jonas = participant();
    const a = goal();
    const b = goal({ level: 'haupt' });
    const declinedGoal = goal({ status: 'abgelehnt' });
    const accepted = [acceptance(a.id, jonas.id, 'zugestimmt'), acceptance(b.id, jonas.id, 'zugestimmt')];
    expect(checkClientAccepted(input({ goals: [a, b, declinedGoal], participants: [jonas], acceptances: accepted }))).toEqual([
      { rule: 'clientAccepted', status: 'green', message: { key: 'quality.clientAccepted.ok', params: {} } },
    ]);
  });

  it('is amber for Bedenkzeit and red for no or a declined answer', () => {
    const jonas = participant({ name: 'Jonas' });
    const think = goal({ title: 'Konsum reduzieren' });
    const no = goal({ title: 'Abendschule' });
    const open = goal({ title: 'Eigene Wohnung' });
    const other = participant({ role: 'partner' });
    const items = checkClientAccepted(
      input({
        goals: [think, no, open],
        participants: [jonas, other],
        acceptances: [
          acceptance(think.id, jonas.id, 'bedenkzeit'),
          acceptance(no.id, jonas.id, 'abgelehnt'),
          acceptance(open.id, other.id, 'zugestimmt'),
        ],
      }),
    );
    expect(items.map((i) => [i.status, i.message.key, i.message.params.title, i.message.params.name, i.target?.id])).toEqual([
      ['amber', 'quality.clientAccepted.bedenkzeit', 'Konsum reduzieren', 'Jonas', think.id],
      ['red', 'quality.clientAccepted.declined', 'Abendschule', 'Jonas', no.id],
      ['red', 'quality.clientAccepted.missing', 'Eigene Wohnung', 'Jonas', open.id],
    ]);
  });
});

describe('missed goals', () => {
  it('wants a reason for a goal not reached or overdue', () => {
    const missed = goal({ status: 'nicht_erreicht', due: '2027-01-01', title: 'Führerschein' });
    const overdue = goal({ status: 'in_arbeit', due: '2026-03-09' });
    const explained = goal({ status: 'nicht_erreicht', missedReason: 'Krankheit' });
    const reached = goal({ status: 'erreicht', due: '2026-01-01' });
    const dueToday = goal({ due: TODAY });
    const declinedLate = goal({ status: 'abgelehnt', due: '2026-01-01' });
    const deletedLate = goal({ status: 'nicht_erreicht', deletedAt: 4 });
    expect(statuses(checkMissedReasons(input({ goals: [explained, reached, dueToday, declinedLate, deletedLate, goal()] }), TODAY))).toEqual(['green']);
    expect(checkMissedReasons(input({ goals: [missed, overdue, explained] }), TODAY).map((i) => [i.status, i.message.params.title, i.target?.id])).toEqual([
      ['red', 'Führerschein', missed.id],
      ['red', 'Eigene Wohnung', overdue.id],
    ]);
  });
});

describe('open dissent', () => {
  it('is green when every dissent is resolved', () => {
    expect(keys(checkOpenDissent(input({ dissents: [dissent({ resolvedAt: 5 })] })))).toEqual(['quality.openDissent.ok']);
    expect(keys(checkOpenDissent(input()))).toEqual(['quality.openDissent.ok']);
  });

  it('is amber per open dissent, pointing at its goal', () => {
    const g = goal();
    const items = checkOpenDissent(input({ goals: [g], dissents: [dissent({ goalId: g.id, text: 'Drogentest' }), dissent({ text: '' })] }));
    expect(items).toEqual([
      { rule: 'openDissent', status: 'amber', message: { key: 'quality.openDissent.open', params: { text: 'Drogentest' } }, target: { collection: 'goals', id: g.id } },
      { rule: 'openDissent', status: 'amber', message: { key: 'quality.openDissent.open', params: { text: '' } } },
    ]);
  });
});

/** Scenario A at the end of the conference: everything agreed, reviewed and documented. */
function scenarioA(): QualityInput {
  const jonas = participant({ name: 'Jonas' });
  const schulden = assessmentItem({ domain: 'finanzen', clientView: '7.400 EUR Schulden' });
  const wohnen = assessmentItem({ domain: 'wohnen', clientView: 'wohnt bei einem Freund' });
  const haupt = goal({ level: 'haupt', title: 'Ausbildung als Kfz-Mechatroniker', due: '2027-08-31', indicator: 'Ausbildungsvertrag' });
  const regulierung = goal({ title: 'Schuldenregulierung begonnen', due: '2027-03-31', needs: { [schulden.id]: true } });
  const wohnung = goal({ title: 'Eigene Wohnung', due: '2027-02-28', needs: { [wohnen.id]: true } });
  const goals = [haupt, regulierung, wohnung];
  return input({
    goals,
    steps: [
      step({ what: 'Gläubigerbriefe sammeln', goalId: regulierung.id, responsible: 'klient', ownActivity: true }),
      step({ what: 'WBS beantragen', goalId: wohnung.id, who: 'Frau Aydin', gap: true, gapDescription: 'betreutes Wohnen U25, Wartezeit 9 Monate' }),
    ],
    assessment: [
      schulden,
      wohnen,
      assessmentItem({ domain: 'qualifikation', kind: 'ressource', clientView: 'schraubt gern an Autos' }),
      assessmentItem({ domain: 'intrapsychisch', kind: 'ressource', clientView: 'will unbedingt die Ausbildung' }),
    ],
    plan: { nextReview: '2026-05-05', reviewMode: 'fallkonferenz' },
    participants: [jonas, participant({ role: 'partner', name: 'Herr Wolff' })],
    acceptances: goals.map((g) => acceptance(g.id, jonas.id, 'zugestimmt')),
    dissents: [dissent({ goalId: wohnung.id, resolvedAt: 7 })],
  });
}

describe('checkQuality', () => {
  it('shows every standard green for a complete plan', () => {
    const items = checkQuality(scenarioA(), TODAY);
    expect(items.filter((i) => i.status !== 'green')).toEqual([]);
    expect(items.map((i) => i.rule)).toEqual(RULE_IDS);
  });

  it('shows every standard for an empty case, with honest statuses', () => {
    const items = checkQuality(input(), TODAY);
    expect(new Set(items.map((i) => i.rule))).toEqual(new Set(RULE_IDS));
    expect(countByStatus(items)).toEqual({ red: 2, amber: 5, green: 9 });
    expect(items.filter((i) => i.status === 'red').map((i) => i.rule)).toEqual(['mainGoal', 'review']);
  });

  it('sorts red, amber, green and keeps rule order within a status', () => {
    const items = sortByStatus(checkQuality(input(), TODAY));
    const rank = { red: 0, amber: 1, green: 2 } as const;
    expect(items.map((i) => rank[i.status])).toEqual([...items.map((i) => rank[i.status])].sort());
    expect(items.slice(0, 2).map((i) => i.rule)).toEqual(['mainGoal', 'review']);
  });

  it('checks a case view read from a live document', () => {
    const doc = new Y.Doc();
    CaseDocument.initialize(doc, { displayName: 'Jonas B.', team: 'U25' });
    const c = new CaseDocument(doc);
    const wohnung = c.addGoal('teil', 'Eigene Wohnung');
    const before = (view: QualityInput) => checkQuality(view, TODAY).filter((i) => i.rule === 'subGoalResponsible');
    expect(before(c.view()).map((i) => [i.status, i.message.params.title])).toEqual([['red', 'Eigene Wohnung']]);
    const s = c.addStep('WBS beantragen', wohnung);
    c.stepText(s, 'who').set('Frau Aydin');
    expect(statuses(before(c.view()))).toEqual(['green']);
    c.setPlan({ nextReview: '2026-05-05', reviewMode: 'telefon' });
    expect(statuses(checkReview(c.view(), TODAY))).toEqual(['green']);
  });

  it('only emits message keys the catalogue translates', () => {
    const catalogue = Object.keys(qualityMessages.de);
    for (const key of QUALITY_MESSAGE_KEYS) expect(catalogue).toContain(key);
  });
});

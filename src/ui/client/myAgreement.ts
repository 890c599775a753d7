import type { CaseView } from '../../case/read.ts';
import type { Goal, Step } from '../../domain/case.ts';
import type { Acceptance, Dissent } from '../../domain/participants.ts';
import type { InfoFlow } from '../../domain/plan.ts';

/**
 * What the client's own view ("Meine Vereinbarung") shows, derived from the case view.
 * Pure functions, so the selection and order rules are tested without a browser.
 */

/** A step the client carries: their own activity, or one they are responsible for. */
export function isMine(step: Step): boolean {
  return step.ownActivity || step.responsible === 'klient';
}

function isClosed(step: Step): boolean {
  return step.status === 'erledigt' || step.status === 'entfallen';
}

/** Open steps first, then by due date (undated last), then in plan order. */
export function byUrgency(a: Step, b: Step): number {
  const closed = Number(isClosed(a)) - Number(isClosed(b));
  if (closed !== 0) return closed;
  if (a.due !== b.due) {
    if (a.due === undefined) return 1;
    if (b.due === undefined) return -1;
    return a.due < b.due ? -1 : 1;
  }
  return 0; // Array.prototype.sort is stable: the plan order stays
}

/** Main goal(s) first, then sub-goals, each in their agreed order (the priority). */
export function myGoals(view: CaseView): { main: Goal[]; sub: Goal[] } {
  return {
    main: view.goals.filter((g) => g.level === 'haupt'),
    sub: view.goals.filter((g) => g.level === 'teil'),
  };
}

/** The client's words for a goal; the professional wording where the client has none yet. */
export function goalWords(goal: Goal): string {
  return goal.clientWords.trim() || goal.title.trim();
}

export function mySteps(view: CaseView): Step[] {
  return view.steps.filter(isMine).sort(byUrgency);
}

/** Help that is needed but does not exist (Angebotslücke), shown with its description. */
export function gapSteps(view: CaseView): Step[] {
  return view.steps.filter((s) => s.gap && !isMine(s));
}

export type HelperKind = 'fallmanager' | 'partner' | 'person' | 'unassigned';

export interface HelperGroup {
  key: string;
  kind: HelperKind;
  /** Organisation (partner) or person's name; empty for 'unassigned'. */
  title: string;
  /** The people who speak for the group: participants of that partner, or the case manager(s). */
  people: string[];
  steps: Step[];
  /** What this partner reports back, and when. */
  reports: InfoFlow[];
}

/**
 * Everyone else who does something for the client: the case manager, each partner
 * organisation (also those without a step yet) and any other named person. Steps of a partner
 * go to the partner even when a person is named; gap steps are listed separately.
 */
export function helperGroups(view: CaseView): HelperGroup[] {
  const caseManagers = view.participants.filter((p) => p.role === 'fallmanager').map((p) => p.name);
  const groups = new Map<string, HelperGroup>();
  const group = (key: string, make: () => Omit<HelperGroup, 'key' | 'steps' | 'reports'>): HelperGroup => {
    let g = groups.get(key);
    if (!g) {
      g = { key, ...make(), steps: [], reports: [] };
      groups.set(key, g);
    }
    return g;
  };

  const cm = () => group('fallmanager', () => ({ kind: 'fallmanager', title: caseManagers.join(', '), people: caseManagers }));
  if (caseManagers.length > 0) cm();
  for (const partner of view.partners) {
    const people = view.participants.filter((p) => p.partnerId === partner.id).map((p) => p.name);
    const contact = partner.contact.trim();
    group(`partner:${partner.id}`, () => ({
      kind: 'partner',
      title: partner.organisation.trim(),
      people: people.length > 0 ? people : contact ? [contact] : [],
    }));
  }

  for (const step of view.steps) {
    if (isMine(step) || step.gap) continue;
    const who = step.who.trim();
    let target: HelperGroup;
    if (step.partnerId && groups.has(`partner:${step.partnerId}`)) {
      target = groups.get(`partner:${step.partnerId}`)!;
    } else if (step.responsible === 'fallmanager') {
      target = cm();
      if (who && !target.people.includes(who)) {
        target.people.push(who);
        target.title = target.people.join(', ');
      }
    } else if (who) {
      target = group(`person:${who}`, () => ({ kind: 'person', title: who, people: [who] }));
    } else {
      target = group('unassigned', () => ({ kind: 'unassigned', title: '', people: [] }));
    }
    target.steps.push(step);
  }

  for (const flow of view.infoFlows) {
    const g = flow.partnerId ? groups.get(`partner:${flow.partnerId}`) : undefined;
    if (g) g.reports.push(flow);
  }
  for (const g of groups.values()) g.steps.sort(byUrgency);
  return [...groups.values()];
}

/** Agreements about reporting back that name no partner of this case. */
export function otherReports(view: CaseView): InfoFlow[] {
  const known = new Set(view.partners.map((p) => p.id));
  return view.infoFlows.filter((f) => !f.partnerId || !known.has(f.partnerId));
}

/**
 * Whose answers "what I agreed to" shows: the given participant, or (nobody chosen) the
 * client of the case when there is exactly one.
 */
export function clientParticipantId(view: CaseView, meId: string | null): string | null {
  if (meId) return meId;
  const clients = view.participants.filter((p) => p.role === 'klient');
  return clients.length === 1 ? clients[0]!.id : null;
}

/** One entry per goal: the participant's answer, or null where they have not answered yet. */
export function myAnswers(view: CaseView, participantId: string | null): { goal: Goal; answer: Acceptance | null }[] {
  const { main, sub } = myGoals(view);
  return [...main, ...sub].map((goal) => ({
    goal,
    answer:
      (participantId && view.acceptances.find((a) => a.goalId === goal.id && a.participantId === participantId)) ||
      null,
  }));
}

export function myDissents(view: CaseView, participantId: string | null): Dissent[] {
  return participantId ? view.dissents.filter((d) => d.participantId === participantId) : [];
}

/** A calendar day (YYYY-MM-DD) as people say it: "31. Juli 2027" / "31 July 2027". */
export function plainDate(iso: string, locale: 'de' | 'en', weekday = false): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  // Noon UTC, formatted in UTC: the same day everywhere, whatever the device's time zone.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(weekday ? { weekday: 'long' } : {}),
    timeZone: 'UTC',
  }).format(date);
}

/** An instant as a plain day in the device's time zone. */
export function plainDay(ms: number, locale: 'de' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(ms);
}

import type { Goal, GoalLevel, GoalStatus } from './case.ts';
import type { AgendaItem, Decision, Task } from './conference.ts';
import { IsoDate } from './dates.ts';
import type { EntityId } from './ids.ts';
import type { Dissent, Participant } from './participants.ts';
import type { PlanSettings, ReviewMode } from './plan.ts';
import { ROLES, type Role } from './roles.ts';

/**
 * The minutes (Protokoll) of a Fallkonferenz, assembled from what the table wrote: nobody
 * types them twice. Pure: the same case and day give the same minutes on every device.
 * `CaseView` satisfies `MinutesInput` as it is; only live (not removed) entries belong here.
 */
export interface MinutesInput {
  participants: readonly Participant[];
  agenda: readonly AgendaItem[];
  decisions: readonly Decision[];
  tasks: readonly Task[];
  goals: readonly Goal[];
  dissents: readonly Dissent[];
  plan: PlanSettings;
}

export interface MinutesParticipant {
  id: EntityId;
  name: string;
  role: Role;
  organisation: string;
}

export interface MinutesAgendaItem {
  id: EntityId;
  title: string;
  done: boolean;
}

export interface MinutesDecision {
  id: EntityId;
  text: string;
}

export interface MinutesTask {
  id: EntityId;
  what: string;
  who: string;
  due?: IsoDate;
  done: boolean;
  /** Open and its date has passed. */
  overdue: boolean;
}

export interface MinutesGoal {
  id: EntityId;
  level: GoalLevel;
  title: string;
  clientWords: string;
  status: GoalStatus;
  due?: IsoDate;
  /** Why it was missed or is late, when someone wrote it down. */
  missedReason: string;
}

export interface MinutesDissent {
  id: EntityId;
  text: string;
  /** Who disagrees, when the dissent names a participant who is still listed. */
  participantName?: string;
  /** The goal it is about, when it names a goal that is still listed. */
  goalTitle?: string;
  resolution: string;
  resolvedAt?: number;
}

export interface MinutesReview {
  date?: IsoDate;
  mode?: ReviewMode;
  /** The agreed date lies before the day of the minutes. */
  past: boolean;
}

export interface Minutes {
  date: IsoDate;
  participants: MinutesParticipant[];
  agenda: MinutesAgendaItem[];
  decisions: MinutesDecision[];
  tasks: MinutesTask[];
  /** Hauptziel(e) first, then Teilziele, each in their agreed order. */
  goals: MinutesGoal[];
  /** Disagreements stay on record after they were resolved (003 §5.4.4). */
  dissents: { open: MinutesDissent[]; resolved: MinutesDissent[] };
  nextReview: MinutesReview;
}

const clean = (text: string) => text.trim();

/**
 * Builds the minutes for the day `today` (`YYYY-MM-DD`). Entries nobody filled in (an empty
 * agenda line, a blank decision) are left out: minutes record what was said, not empty forms.
 */
export function buildMinutes(input: MinutesInput, today: IsoDate): Minutes {
  const date = IsoDate.parse(today);

  const participants = input.participants
    .map((p, index) => ({ p, index }))
    // Host first, then the client, then everyone else: the order a minutes reader expects.
    .sort((a, b) => ROLES.indexOf(a.p.role) - ROLES.indexOf(b.p.role) || a.index - b.index)
    .map(({ p }) => ({ id: p.id, name: clean(p.name), role: p.role, organisation: clean(p.organisation) }));

  const agenda = input.agenda
    .map((item) => ({ id: item.id, title: clean(item.title), done: item.done }))
    .filter((item) => item.title !== '');

  const decisions = input.decisions
    .map((d) => ({ id: d.id, text: clean(d.text) }))
    .filter((d) => d.text !== '');

  const tasks = input.tasks
    .map((task): MinutesTask => ({
      id: task.id,
      what: clean(task.what),
      who: clean(task.who),
      ...(task.due ? { due: task.due } : {}),
      done: task.done,
      overdue: !task.done && task.due !== undefined && task.due < date,
    }))
    .filter((task) => task.what !== '' || task.who !== '');

  const goalTitles = new Map(input.goals.map((g) => [g.id, clean(g.title) || clean(g.clientWords)]));
  const goals = [...input.goals.filter((g) => g.level === 'haupt'), ...input.goals.filter((g) => g.level === 'teil')]
    .map((g): MinutesGoal => ({
      id: g.id,
      level: g.level,
      title: clean(g.title),
      clientWords: clean(g.clientWords),
      status: g.status,
      ...(g.due ? { due: g.due } : {}),
      missedReason: clean(g.missedReason),
    }))
    .filter((g) => g.title !== '' || g.clientWords !== '');

  const names = new Map(input.participants.map((p) => [p.id, clean(p.name)]));
  const open: MinutesDissent[] = [];
  const resolved: MinutesDissent[] = [];
  for (const d of input.dissents) {
    const text = clean(d.text);
    if (text === '') continue;
    const participantName = d.participantId ? names.get(d.participantId) : undefined;
    const goalTitle = d.goalId ? goalTitles.get(d.goalId) : undefined;
    const entry: MinutesDissent = {
      id: d.id,
      text,
      ...(participantName ? { participantName } : {}),
      ...(goalTitle ? { goalTitle } : {}),
      resolution: clean(d.resolution),
      ...(d.resolvedAt !== undefined ? { resolvedAt: d.resolvedAt } : {}),
    };
    (d.resolvedAt === undefined ? open : resolved).push(entry);
  }

  const nextReview: MinutesReview = {
    ...(input.plan.nextReview ? { date: input.plan.nextReview } : {}),
    ...(input.plan.reviewMode ? { mode: input.plan.reviewMode } : {}),
    past: input.plan.nextReview !== undefined && input.plan.nextReview < date,
  };

  return { date, participants, agenda, decisions, tasks, goals, dissents: { open, resolved }, nextReview };
}

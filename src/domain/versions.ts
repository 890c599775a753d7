import { z } from 'zod';
import { GoalLevel, GoalStatus, Responsible, StepStatus, Team } from './case.ts';
import { IsoDate, Timestamp } from './dates.ts';
import { EntityId } from './ids.ts';
import { ReviewMode } from './plan.ts';
import { Role } from './roles.ts';

/**
 * Agreed versions of the plan (Fortschreibung). A version is a snapshot of the plan as plain,
 * canonical data: the case layer builds it from what everyone at the table may see, every
 * participant's answer refers to its hash, and a version everyone required has accepted is
 * frozen. Hashing and signing live outside the domain (src/app/agreement.ts).
 */

const Line = z.string().max(10_000);

export const VersionParticipant = z.object({
  id: EntityId,
  name: z.string().min(1).max(200),
  role: Role,
  organisation: z.string().max(10_000),
  /** The organisation (partner entry) this person speaks for, if a partner. */
  partnerId: EntityId.optional(),
  fingerprint: z.string().max(100),
});
export type VersionParticipant = z.infer<typeof VersionParticipant>;

export const VersionGoal = z.object({
  id: EntityId,
  level: GoalLevel,
  /** 1-based rank among goals of the same level: the visible priority. */
  priority: z.number().int().positive().max(100_000),
  title: Line,
  clientWords: Line,
  indicator: Line,
  status: GoalStatus,
  due: IsoDate.optional(),
  missedReason: Line,
});
export type VersionGoal = z.infer<typeof VersionGoal>;

export const VersionStep = z.object({
  id: EntityId,
  what: Line,
  who: Line,
  responsible: Responsible.optional(),
  partnerId: EntityId.optional(),
  /** The partner organisation's name as it read when the version was made. */
  partnerName: Line.optional(),
  start: IsoDate.optional(),
  due: IsoDate.optional(),
  goalId: EntityId.optional(),
  criterion: Line,
  status: StepStatus,
  ownActivity: z.boolean(),
  gap: z.boolean(),
  cost: z.number().nonnegative().max(1_000_000_000).optional(),
  condition: Line,
});
export type VersionStep = z.infer<typeof VersionStep>;

/** The plan content of one version: what is hashed and signed. */
export const PlanContent = z.object({
  format: z.literal(1),
  caseId: EntityId,
  caseName: z.string().min(1).max(200),
  team: Team,
  participants: z.array(VersionParticipant).max(200),
  goals: z.array(VersionGoal).max(5_000),
  steps: z.array(VersionStep).max(5_000),
  nextReview: IsoDate.optional(),
  reviewMode: ReviewMode.optional(),
  /** The Ausgangslage as plain text, paragraphs separated by blank lines. */
  situation: z.string().max(200_000),
  /**
   * Why a due date moved or was missed, per goal or step id, given when the version was
   * proposed (a goal's own missedReason counts too). Part of what everyone signs.
   */
  reasons: z.record(EntityId, Line),
  /** Entries restricted to a topic or kept confidential: counted, never copied (they stay in their scope). */
  withheld: z.number().int().nonnegative().max(1_000_000),
});
export type PlanContent = z.infer<typeof PlanContent>;

/** SHA-256 over the canonical JSON of the content, base64url (43 characters). */
export const ContentHash = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const Proposal = z.object({
  number: z.number().int().positive().max(100_000),
  proposedAt: Timestamp,
  /** Participant id of the host who proposed it. */
  proposedBy: EntityId,
  hash: ContentHash,
  content: PlanContent,
});
export type Proposal = z.infer<typeof Proposal>;

export const ResponseKind = z.enum(['accept', 'bedenkzeit', 'decline']);
export type ResponseKind = z.infer<typeof ResponseKind>;

/** A signature is ECDSA P-256 in IEEE P1363 form: 64 bytes, 86 base64url characters. */
const SignatureText = z.string().regex(/^[A-Za-z0-9_-]{86}$/);

/**
 * One participant's answer to one proposal (keyed by version number and participant). Every
 * answer is signed with the device key, a Bedenkzeit or a decline too: a dissent is recorded
 * under the name of who said it, and no peer can put words in someone else's mouth.
 */
const Signed = {
  number: z.number().int().positive(),
  participantId: EntityId,
  hash: ContentHash,
  at: Timestamp,
  /** The signing key used (base64url SPKI), so a copy can be checked on its own. */
  signKey: z.string().min(60).max(300),
  signature: SignatureText,
};
export const VersionResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accept'), ...Signed }),
  z.object({ kind: z.literal('bedenkzeit'), ...Signed, reason: Line }),
  z.object({ kind: z.literal('decline'), ...Signed, reason: Line.refine((r) => r.trim().length > 0, 'a decline needs a reason') }),
]);
export type VersionResponse = z.infer<typeof VersionResponse>;
export type Acceptance = Extract<VersionResponse, { kind: 'accept' }>;

/** A frozen version: the proposal and the signatures that froze it, never changed again. */
export const FrozenVersion = Proposal.extend({
  frozenAt: Timestamp,
  signatures: z.array(VersionResponse.options[0]).min(1).max(200),
});
export type FrozenVersion = z.infer<typeof FrozenVersion>;

/** The message a participant signs: their answer, bound to case, version number and content hash. */
export function signedStatement(caseId: string, number: number, participantId: string, hash: string, kind: ResponseKind = 'accept', reason = '') {
  return { purpose: 'runder-tisch/plan-version/answer', caseId, number, participantId, hash, kind, reason };
}

/** Roles that always have to accept: the client and whoever carries the case. */
const ALWAYS_REQUIRED: ReadonlySet<Role> = new Set<Role>(['klient', 'fallmanager', 'nachfolge']);

/**
 * Who has to accept before a version is frozen. The client and the case managers (also an
 * incoming one at a handover) always; a partner only if their organisation carries a step of
 * this version ("von allen mitgetragen": who commits to a task agrees to it). Relatives, a
 * guardian, an interpreter and partners without a step may answer, but the version does not
 * wait for them.
 */
export function requiredResponders(content: PlanContent): string[] {
  const carrying = new Set(content.steps.flatMap((s) => (s.partnerId ? [s.partnerId] : [])));
  return content.participants
    .filter((p) => ALWAYS_REQUIRED.has(p.role) || (p.role === 'partner' && p.partnerId !== undefined && carrying.has(p.partnerId)))
    .map((p) => p.id);
}

export type ResponderStatus = 'offen' | ResponseKind;

/** Each participant's current answer to `proposal`; answers to other content do not count. */
export function responseStatus(proposal: Proposal, responses: readonly VersionResponse[]): Map<string, VersionResponse> {
  const out = new Map<string, VersionResponse>();
  for (const r of responses) {
    if (r.number !== proposal.number || r.hash !== proposal.hash) continue;
    if (!proposal.content.participants.some((p) => p.id === r.participantId)) continue;
    const earlier = out.get(r.participantId);
    if (!earlier || earlier.at <= r.at) out.set(r.participantId, r);
  }
  return out;
}

/** Frozen when every required participant's current answer is an acceptance. */
export function isFrozen(proposal: Proposal, responses: readonly VersionResponse[]): boolean {
  const current = responseStatus(proposal, responses);
  const required = requiredResponders(proposal.content);
  return required.length > 0 && required.every((id) => current.get(id)?.kind === 'accept');
}

/** The acceptances that freeze `proposal` (in participant order), or null while not frozen. */
export function freezingSignatures(proposal: Proposal, responses: readonly VersionResponse[]): Acceptance[] | null {
  if (!isFrozen(proposal, responses)) return null;
  const current = responseStatus(proposal, responses);
  return proposal.content.participants.flatMap((p) => {
    const r = current.get(p.id);
    return r?.kind === 'accept' ? [r] : [];
  });
}

// --- differences between versions ------------------------------------------

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface ItemChange {
  kind: ChangeKind;
  id: string;
  label: string;
  fields: FieldChange[];
}

export interface DateChange {
  /** `goal` or `step` due date, or the plan's next review. */
  of: 'goal' | 'step' | 'review';
  id: string;
  label: string;
  /** moved: the date changed; missed: the date passed and the item is not done. */
  kind: 'moved' | 'missed' | 'set' | 'cleared';
  before?: string | undefined;
  after?: string | undefined;
  /** Why; empty when none was given (a moved or missed date needs one). */
  reason: string;
}

export interface VersionDiff {
  goals: ItemChange[];
  steps: ItemChange[];
  dates: DateChange[];
}

const GOAL_FIELDS = ['level', 'priority', 'title', 'clientWords', 'indicator', 'status', 'due'] as const;
const STEP_FIELDS = ['what', 'who', 'responsible', 'partnerName', 'start', 'due', 'goalId', 'criterion', 'status', 'cost', 'condition'] as const;

function str(value: unknown): string {
  return value === undefined ? '' : String(value);
}

function diffItems<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  fields: readonly (keyof T & string)[],
  label: (item: T) => string,
): ItemChange[] {
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const out: ItemChange[] = [];
  for (const item of after) {
    const prev = old.get(item.id);
    if (!prev) {
      out.push({ kind: 'added', id: item.id, label: label(item), fields: [] });
      continue;
    }
    const changed = fields
      .filter((f) => str(prev[f]) !== str(item[f]))
      .map((f) => ({ field: f, before: str(prev[f]), after: str(item[f]) }));
    if (changed.length > 0) out.push({ kind: 'changed', id: item.id, label: label(item), fields: changed });
  }
  for (const item of before) {
    if (!now.has(item.id)) out.push({ kind: 'removed', id: item.id, label: label(item), fields: [] });
  }
  return out;
}

const GOAL_DONE: ReadonlySet<string> = new Set(['erreicht', 'nicht_erreicht', 'abgelehnt', 'zurueckgestellt']);
const STEP_DONE: ReadonlySet<string> = new Set(['erledigt', 'entfallen']);

/** The reason recorded for `id` in `content`: given at proposal, else a goal's missedReason. */
export function reasonFor(content: PlanContent, id: string): string {
  const given = content.reasons[id]?.trim();
  if (given) return given;
  return content.goals.find((g) => g.id === id)?.missedReason.trim() ?? '';
}

/**
 * Due dates that moved since `before`, or passed by `today` while the goal or step is still
 * open. Each needs a reason (domain guide section 3: a missed or late goal is explained).
 */
export function dateChanges(before: PlanContent | null, after: PlanContent, today: string): DateChange[] {
  const out: DateChange[] = [];
  const check = (of: 'goal' | 'step', id: string, label: string, prevDue: string | undefined, due: string | undefined, open: boolean, existed: boolean) => {
    const reason = reasonFor(after, id);
    if (existed && prevDue !== due) {
      const kind = prevDue && due ? 'moved' : due ? 'set' : 'cleared';
      out.push({ of, id, label, kind, before: prevDue, after: due, reason });
    } else if (due && due < today && open) {
      out.push({ of, id, label, kind: 'missed', before: prevDue, after: due, reason });
    }
  };
  const oldGoals = new Map((before?.goals ?? []).map((g) => [g.id, g]));
  for (const g of after.goals) {
    const prev = oldGoals.get(g.id);
    check('goal', g.id, g.title, prev?.due, g.due, !GOAL_DONE.has(g.status), prev !== undefined);
  }
  const oldSteps = new Map((before?.steps ?? []).map((s) => [s.id, s]));
  for (const s of after.steps) {
    const prev = oldSteps.get(s.id);
    check('step', s.id, s.what, prev?.due, s.due, !STEP_DONE.has(s.status), prev !== undefined);
  }
  if (before && before.nextReview !== after.nextReview) {
    out.push({
      of: 'review',
      id: 'review',
      label: '',
      kind: before.nextReview && after.nextReview ? 'moved' : after.nextReview ? 'set' : 'cleared',
      before: before.nextReview,
      after: after.nextReview,
      reason: '',
    });
  }
  return out;
}

/** Date changes that still lack their reason: a moved or a missed due date of a goal or step. */
export function missingReasons(before: PlanContent | null, after: PlanContent, today: string): DateChange[] {
  return dateChanges(before, after, today).filter((d) => d.of !== 'review' && (d.kind === 'moved' || d.kind === 'missed') && d.reason === '');
}

/** What changed from `before` to `after`: goals, steps and dates added, changed and removed. */
export function diffVersions(before: PlanContent | null, after: PlanContent, today: string): VersionDiff {
  return {
    goals: diffItems(before?.goals ?? [], after.goals, GOAL_FIELDS, (g) => g.title),
    steps: diffItems(before?.steps ?? [], after.steps, STEP_FIELDS, (s) => s.what),
    dates: dateChanges(before, after, today),
  };
}


import { z } from 'zod';
import { IsoDate, Timestamp } from './dates.ts';
import { EntityId } from './ids.ts';

/**
 * Closure and evaluation of a case (domain guide §2 "Abschluss / Evaluation", §7 client
 * feedback). Closing records why the case ends, how far each goal was reached, what the
 * client and the partners say, what aftercare was agreed, and how long the local copies are
 * kept. A closed case is read-only; after its retention date a device may delete its copy.
 */

/** Why the case ends. `sonstiges` needs a short text. */
export const ClosureReason = z.enum([
  'arbeitsaufnahme',
  'ausbildung',
  'umzug',
  'wechsel',
  'kein_bedarf',
  'fehlende_mitwirkung',
  'sonstiges',
]);
export type ClosureReason = z.infer<typeof ClosureReason>;
export const CLOSURE_REASONS = ClosureReason.options;

const Note = z.string().max(4_000);

export const ReasonEntry = z.object({
  reason: ClosureReason,
  text: Note.default(''),
  at: Timestamp,
});
export type ReasonEntry = z.infer<typeof ReasonEntry>;

export const Attainment = z.enum(['erreicht', 'teilweise', 'nicht_erreicht']);
export type Attainment = z.infer<typeof Attainment>;
export const ATTAINMENTS = Attainment.options;

/** How far one goal was reached, with a note (what helped, what was missing). */
export const GoalAttainment = z.object({
  goalId: EntityId,
  attainment: Attainment,
  note: Note.default(''),
  at: Timestamp,
});
export type GoalAttainment = z.infer<typeof GoalAttainment>;

/**
 * The client's feedback questions, answered on a three-step scale in plain words. Few and
 * short on purpose: the form is filled on a phone, often by someone who dislikes forms.
 */
export const FEEDBACK_QUESTIONS = ['ernstGenommen', 'verstanden', 'mitbestimmt', 'planGeholfen'] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];
export const FeedbackAnswer = z.enum(['ja', 'teils', 'nein']);
export type FeedbackAnswer = z.infer<typeof FeedbackAnswer>;
export const FEEDBACK_ANSWERS = FeedbackAnswer.options;

/** One client's feedback, written by that client's device only (keyed by participant id). */
export const ClientFeedback = z.object({
  participantId: EntityId,
  /** A question left out is "no answer": nobody has to answer everything. */
  answers: z.object(Object.fromEntries(FEEDBACK_QUESTIONS.map((q) => [q, FeedbackAnswer.optional()])) as Record<FeedbackQuestion, z.ZodOptional<typeof FeedbackAnswer>>),
  better: Note.default(''),
  at: Timestamp,
});
export type ClientFeedback = z.infer<typeof ClientFeedback>;

/** Feedback both ways: what the partner says to the Jobcenter, and the Jobcenter to the partner. */
export const FeedbackDirection = z.enum(['vomPartner', 'anPartner']);
export type FeedbackDirection = z.infer<typeof FeedbackDirection>;
export const FEEDBACK_DIRECTIONS = FeedbackDirection.options;

export const PartnerFeedback = z.object({
  partnerId: EntityId,
  direction: FeedbackDirection,
  text: Note,
  at: Timestamp,
});
export type PartnerFeedback = z.infer<typeof PartnerFeedback>;

/** Closure was begun: the client's feedback form opens, the closing fields show. */
export const ClosureStart = z.object({ at: Timestamp, by: EntityId.optional() });
export type ClosureStart = z.infer<typeof ClosureStart>;

/** The act of closing. Its presence makes the case closed. */
export const ClosedRecord = z
  .object({
    at: Timestamp,
    /** The calendar day of closing, as the closing person saw it. */
    on: IsoDate,
    retentionUntil: IsoDate,
    by: EntityId.optional(),
  })
  .refine((c) => c.retentionUntil >= c.on, { message: 'retention ends before closure', path: ['retentionUntil'] });
export type ClosedRecord = z.infer<typeof ClosedRecord>;

/** Everything closure has recorded so far (read from the case document). */
export interface Closure {
  started?: ClosureStart;
  reason?: ReasonEntry;
  /** goalId → attainment. */
  attainments: Record<string, GoalAttainment>;
  feedback: ClientFeedback[];
  partnerFeedback: PartnerFeedback[];
  aftercare: string;
  closed?: ClosedRecord;
}

export const EMPTY_CLOSURE: Closure = { attainments: {}, feedback: [], partnerFeedback: [], aftercare: '' };

/**
 * How long a closed case stays on the devices by default: 6 months. The local copy is a working
 * copy, not the Jobcenter's file of record (that is kept under the Jobcenter's own rules). Six
 * months cover the usual aftercare after taking up work (support may continue for up to six
 * months after need ends, §16g SGB II) and a quick return of the client, while keeping social
 * data no longer than that (data minimisation, Art. 5(1)(e) GDPR). The case manager may choose
 * another date when closing, from the closing day on.
 */
export const DEFAULT_RETENTION_MONTHS = 6;

/** `day` plus `months` calendar months; the 31st becomes the last day of a shorter month. */
export function addMonths(day: IsoDate, months: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

export function defaultRetention(closedOn: IsoDate, months = DEFAULT_RETENTION_MONTHS): IsoDate {
  return addMonths(closedOn, months);
}

export function isClosed(closure: Pick<Closure, 'closed'>): boolean {
  return closure.closed !== undefined;
}

/** A device may delete its copy of a closed case from the retention day on. */
export function mayDeleteLocally(closure: Pick<Closure, 'closed'>, today: IsoDate): boolean {
  return closure.closed !== undefined && today >= closure.closed.retentionUntil;
}

export type ClosureGap =
  | { kind: 'notStarted' }
  | { kind: 'reason' }
  | { kind: 'reasonText' }
  | { kind: 'attainment'; goalId: string }
  | { kind: 'retention' };

/**
 * What is still missing before the case may be closed: closure begun, a reason (with a text
 * for "sonstiges"), an attainment for every live goal, a retention date not before closing.
 * Feedback is asked for, never required: nobody can be made to give it.
 */
export function missingBeforeClosing(
  closure: Closure,
  liveGoalIds: readonly string[],
  retention?: { on: IsoDate; until: IsoDate | '' },
): ClosureGap[] {
  const gaps: ClosureGap[] = [];
  if (!closure.started) gaps.push({ kind: 'notStarted' });
  if (!closure.reason) gaps.push({ kind: 'reason' });
  else if (closure.reason.reason === 'sonstiges' && !closure.reason.text.trim()) gaps.push({ kind: 'reasonText' });
  for (const goalId of liveGoalIds) if (!closure.attainments[goalId]) gaps.push({ kind: 'attainment', goalId });
  if (retention && (!IsoDate.safeParse(retention.until).success || retention.until < retention.on)) gaps.push({ kind: 'retention' });
  return gaps;
}

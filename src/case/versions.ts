import * as Y from 'yjs';
import { z } from 'zod';
import type { PlanContent, VersionGoal, VersionStep } from '../domain/versions.ts';
import { FrozenVersion, PlanContent as PlanContentSchema, Proposal, VersionResponse } from '../domain/versions.ts';
import { richTextFragment, rootMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';
import { plain, rawText, scopeIn, type CaseView, type Quarantined } from './read.ts';

/**
 * Agreed versions in the shared document (root map `versions`, docs/case-schema.md). Every
 * entry is a plain JSON value written once by one author, so it is stored as current state,
 * not as Yjs history that compaction may collect:
 *   `proposal:<n>`                  the plan proposed as version n (replaced by a new proposal
 *                                   for the same n until n is frozen)
 *   `response:<n>:<participantId>`  that participant's answer (accept with signature,
 *                                   Bedenkzeit, decline with reason)
 *   `frozen:<n>`                    version n with the signatures that froze it; never rewritten
 *                                   (except to put back a copy a device verified and kept)
 * Remote peers may write anything: reads validate each entry and quarantine what fails.
 */

export interface VersionsState {
  proposals: Proposal[];
  responses: VersionResponse[];
  frozen: FrozenVersion[];
  /** Numbers whose `frozen:<n>` entry exists but does not validate: damaged, counted as taken. */
  damaged: number[];
  quarantine: Quarantined[];
}

const KEY = /^(proposal|response|frozen):(\d{1,6})(?::([0-9a-f-]{36}))?$/;

/** Display text of a quarantined entry; never throws (see rawText). */
const raw = rawText;

function reason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Every valid entry of the `versions` map; whatever does not validate is quarantined. */
export function readVersions(doc: Y.Doc): VersionsState {
  const state: VersionsState = { proposals: [], responses: [], frozen: [], damaged: [], quarantine: [] };
  rootMap(doc, 'versions').forEach((value, key) => {
    const where = `versions/${key}`;
    const data = plain(value);
    const match = KEY.exec(key);
    if (!match) return void state.quarantine.push({ where, reason: 'unknown key', raw: raw(data) });
    const number = Number(match[2]);
    const kind = match[1];
    const schema = kind === 'proposal' ? Proposal : kind === 'frozen' ? FrozenVersion : VersionResponse;
    const parsed = (schema as z.ZodType).safeParse(data);
    const entry = parsed.success ? (parsed.data as { number: number; participantId?: string }) : null;
    const problem = !parsed.success
      ? reason(parsed.error)
      : entry!.number !== number || (kind === 'response' && entry!.participantId !== match[3])
        ? 'entry does not match its key'
        : null;
    if (problem) {
      // A frozen version that no longer reads is still a version: it shows as damaged.
      if (kind === 'frozen') state.damaged.push(number);
      return void state.quarantine.push({ where, reason: problem, raw: raw(data) });
    }
    if (kind === 'proposal') state.proposals.push(parsed.data as Proposal);
    else if (kind === 'frozen') state.frozen.push(parsed.data as FrozenVersion);
    else state.responses.push(parsed.data as VersionResponse);
  });
  state.proposals.sort((a, b) => a.number - b.number);
  state.frozen.sort((a, b) => a.number - b.number);
  state.damaged.sort((a, b) => a - b);
  return state;
}

function write(doc: Y.Doc, key: string, value: unknown): void {
  doc.transact(() => rootMap(doc, 'versions').set(key, value), LOCAL_EDIT);
}

export function writeProposal(doc: Y.Doc, proposal: Proposal): void {
  const value = Proposal.parse(proposal);
  if (rootMap(doc, 'versions').has(`frozen:${value.number}`)) throw new Error(`version ${value.number} is frozen`);
  write(doc, `proposal:${value.number}`, value);
}

export function writeResponse(doc: Y.Doc, response: VersionResponse): void {
  const value = VersionResponse.parse(response);
  write(doc, `response:${value.number}:${value.participantId}`, value);
}

/** Writes a frozen version once; an existing frozen entry is never replaced. */
export function writeFrozen(doc: Y.Doc, frozen: FrozenVersion): boolean {
  const value = FrozenVersion.parse(frozen);
  if (rootMap(doc, 'versions').has(`frozen:${value.number}`)) return false;
  write(doc, `frozen:${value.number}`, value);
  return true;
}

/**
 * Puts an intact copy of a frozen version back in place of an altered (or removed) shared
 * entry. Only for a copy this device verified and kept itself (src/app/trustedVersions.ts):
 * it is the one case in which `frozen:<n>` is written again.
 */
export function republishFrozen(doc: Y.Doc, frozen: FrozenVersion): void {
  const value = FrozenVersion.parse(frozen);
  write(doc, `frozen:${value.number}`, value);
}

/**
 * Writes any value under a key of the `versions` map, unvalidated: what a hostile or broken
 * peer could do. Only the debug hook of the end-to-end tests uses it.
 */
export function writeRawVersionEntry(doc: Y.Doc, key: string, value: unknown): void {
  doc.transact(() => rootMap(doc, 'versions').set(key, value), 'debug');
}

export function rawVersionEntry(doc: Y.Doc, key: string): unknown {
  return plain(rootMap(doc, 'versions').get(key));
}

/** The rich text as plain text: each block on a line, blocks separated by a blank line. */
export function plainText(fragment: Y.XmlFragment): string {
  const blocks: string[] = [];
  const inline = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (node instanceof Y.XmlText) {
      return (node.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
    }
    if (node instanceof Y.XmlElement) {
      if (node.nodeName === 'hardBreak') return '\n';
      return node.toArray().map(inline).join('');
    }
    return '';
  };
  const block = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): void => {
    if (node instanceof Y.XmlElement && ['bulletList', 'orderedList', 'blockquote', 'listItem'].includes(node.nodeName)) {
      for (const child of node.toArray()) block(child);
      return;
    }
    const text = inline(node).trim();
    if (text) blocks.push(node instanceof Y.XmlElement && node.nodeName === 'listItem' ? `• ${text}` : text);
  };
  for (const node of fragment.toArray()) block(node);
  return blocks.join('\n\n');
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The plan as a version's content, from the merged view: only what everyone at the table may
 * see. Goals and steps restricted to a topic or kept confidential live in their own scope
 * document; copying them here would put them into the shared document that reaches every
 * partner, so they are only counted (`withheld`).
 */
export function planContent(doc: Y.Doc, view: CaseView, reasons: Record<string, string> = {}): PlanContent {
  if (!view.meta) throw new Error('case has no metadata yet');
  const shared = <T extends { id: string }>(items: T[]) => items.filter((i) => scopeIn(view, i.id) === 'shared');
  const goals = shared(view.goals);
  const steps = shared(view.steps);
  const withheld = view.goals.length - goals.length + (view.steps.length - steps.length);
  const rank = new Map<string, number>();
  for (const level of ['haupt', 'teil'] as const) {
    goals.filter((g) => g.level === level).forEach((g, i) => rank.set(g.id, i + 1));
  }
  const partnerName = new Map(view.partners.map((p) => [p.id, p.organisation]));
  const vGoals: VersionGoal[] = goals.map((g) =>
    compact({
      id: g.id,
      level: g.level,
      priority: rank.get(g.id) ?? 1,
      title: g.title,
      clientWords: g.clientWords,
      indicator: g.indicator,
      status: g.status,
      due: g.due,
      missedReason: g.missedReason,
    }),
  );
  const goalIds = new Set(goals.map((g) => g.id));
  const vSteps: VersionStep[] = steps.map((s) =>
    compact({
      id: s.id,
      what: s.what,
      who: s.who,
      responsible: s.responsible,
      partnerId: s.partnerId,
      partnerName: s.partnerId ? partnerName.get(s.partnerId) : undefined,
      start: s.start,
      due: s.due,
      // A link to a withheld goal would hint at it: the step then stands on its own.
      goalId: s.goalId && goalIds.has(s.goalId) ? s.goalId : undefined,
      criterion: s.criterion,
      status: s.status,
      ownActivity: s.ownActivity,
      gap: s.gap,
      cost: s.cost,
      condition: s.condition,
    }),
  );
  const participants = shared(view.participants)
    .filter((p) => !p.removedAt)
    .map((p) =>
      compact({ id: p.id, name: p.name, role: p.role, organisation: p.organisation, partnerId: p.partnerId, fingerprint: p.fingerprint ?? '' }),
    );
  const ids = new Set([...goals.map((g) => g.id), ...steps.map((s) => s.id)]);
  const cleanReasons = Object.fromEntries(
    Object.entries(reasons)
      .map(([id, text]) => [id, text.trim()] as const)
      .filter(([id, text]) => ids.has(id) && text !== ''),
  );
  return PlanContentSchema.parse(
    compact({
      format: 1 as const,
      caseId: view.meta.caseId,
      caseName: view.meta.displayName,
      team: view.meta.team,
      participants,
      goals: vGoals,
      steps: vSteps,
      nextReview: view.plan.nextReview,
      reviewMode: view.plan.reviewMode,
      situation: plainText(richTextFragment(doc, 'ausgangslage')),
      reasons: cleanReasons,
      withheld,
    }),
  );
}

/** Calls `listener` after every change of the `versions` map (local or remote); returns the stop function. */
export function observeVersions(doc: Y.Doc, listener: () => void): () => void {
  const map = rootMap(doc, 'versions');
  const handler = () => listener();
  map.observe(handler);
  return () => map.unobserve(handler);
}

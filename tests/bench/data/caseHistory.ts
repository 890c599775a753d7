import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { readCase } from '../../../src/case/read.ts';
import type { Team } from '../../../src/domain/case.ts';
import { CaseRecord } from '../../../src/storage/caseRecord.ts';
import { rng, type Rng } from '../lib/rng.ts';
import { CaseEdits } from './caseEdits.ts';
import { Ledger } from './ledger.ts';
import { RichTextEdits } from './richTextEdits.ts';
import { withSeededRuntime } from './seededRuntime.ts';

export interface CaseSpec {
  seed: number;
  displayName: string;
  team: Team;
  /** Live goals and steps at the end; removed ones come on top. */
  goals: number;
  steps: number;
  removedGoals: number;
  removedSteps: number;
  richTextChars: number;
  /** Transactions (user actions) in the history, at least. */
  edits: number;
  /** Conferences over the history; each has 2–4 devices with fresh Yjs client ids. */
  sessions: number;
  start: number;
  days: number;
}

export interface GeneratedCase {
  caseId: string;
  record: CaseRecord;
  /** Y.encodeStateAsUpdate of the final document. */
  state: Uint8Array;
  /** Every edit's update in order: the history as a device that saw all of it received it. */
  updates: Uint8Array[];
  edits: number;
  clients: number;
  richTextChars: number;
  /** What a complete rendering shows. */
  expected: { goals: number; steps: number; paragraphs: number };
  /** Raw Yjs counts (removed entries included), for the baselines. */
  rawCounts: { goals: number; steps: number; paragraphs: number };
  goalTitles: string[];
  stepTexts: string[];
}

/**
 * Replays a case's history: sessions spread over `days`, each a few devices editing in turn.
 * Every page load in the app is a new Yjs client id, so each device of each session writes
 * under an id of its own; one Y.Doc whose clientID is switched per edit yields the same
 * document as separate synced docs would, at a fraction of the cost. Deterministic per seed.
 */
export function generateCase(spec: CaseSpec): GeneratedCase {
  const random = rng(spec.seed);
  let clock = spec.start;
  return withSeededRuntime(random, () => clock, () => {
    const caseId = random.uuid();
    const truth = new Y.Doc();
    truth.clientID = random.clientId();
    const updates: Uint8Array[] = [];
    truth.on('update', (update: Uint8Array) => updates.push(update));
    const meta = CaseDocument.initialize(truth, { displayName: spec.displayName, team: spec.team }, caseId);
    const ledger = new Ledger();
    const clients = new Set([truth.clientID]);
    let edits = 1;

    const caseDoc = new CaseDocument(truth);
    const cases = new CaseEdits(caseDoc, ledger, random, () => clock);
    const rich = new RichTextEdits(truth, random);
    for (let session = 0; session < spec.sessions; session++) {
      clock = spec.start + Math.floor((session * spec.days * 86_400_000) / spec.sessions);
      const devices = Array.from({ length: random.between(2, 4) }, () => random.clientId());
      devices.forEach((id) => clients.add(id));
      const until = Math.ceil(((session + 1) * spec.edits) / spec.sessions);
      while (edits < until) {
        clock += random.between(3_000, 60_000);
        truth.clientID = random.pick(devices);
        edits += turn(cases, rich, ledger, random, spec, edits / spec.edits);
      }
    }
    // Top up what the weighted choice left short, still one edit at a time.
    while (rich.chars() < spec.richTextChars) edits += rich.typeWords(5);
    while (ledger.goals.length < spec.goals + spec.removedGoals) edits += (cases.addGoal(), 1);
    while (ledger.steps.length < spec.steps + spec.removedSteps) edits += (cases.addStep(), 1);
    while (ledger.removedCount(ledger.goals) < spec.removedGoals) edits += (cases.removeGoal(), 1);
    while (ledger.removedCount(ledger.steps) < spec.removedSteps) edits += (cases.removeStep(), 1);
    caseDoc.destroy();

    return { ...describe(truth, spec, caseId, meta.createdAt, clock, edits, clients.size), updates };
  });
}

/** One person's turn: a few words in one place, or one decision. Returns the edits made. */
function turn(
  cases: CaseEdits,
  rich: RichTextEdits,
  ledger: Ledger,
  random: Rng,
  spec: CaseSpec,
  progress: number,
): number {
  const due = (n: number) => Math.min(n, Math.ceil(n * progress * 1.05) + 1);
  const one = (edit: () => void) => (edit(), 1);
  if (ledger.goals.length < due(spec.goals + spec.removedGoals)) return one(() => cases.addGoal());
  if (ledger.steps.length < due(spec.steps + spec.removedSteps)) return one(() => cases.addStep());
  if (ledger.removedCount(ledger.goals) < Math.floor(spec.removedGoals * progress)) return one(() => cases.removeGoal());
  if (ledger.removedCount(ledger.steps) < Math.floor(spec.removedSteps * progress)) return one(() => cases.removeStep());
  const r = random.next();
  if (r < 0.6) {
    const s = random.next();
    if (s < 0.05) return rich.bold();
    if (rich.chars() < spec.richTextChars * progress) return rich.typeWords(random.between(3, 15));
    return s < 0.6 ? rich.deleteWords(random.between(1, 6)) : rich.typeWords(random.between(2, 8));
  }
  if (r < 0.82) return cases.goalText();
  if (r < 0.94) return cases.stepText();
  return one(() => cases.scalar());
}

/** Reads the result back through the app's own validating reader: it must show everything. */
function describe(
  truth: Y.Doc,
  spec: CaseSpec,
  caseId: string,
  createdAt: number,
  updatedAt: number,
  edits: number,
  clients: number,
): Omit<GeneratedCase, 'updates'> {
  const view = readCase(truth);
  if (view.quarantine.length > 0) throw new Error(`generated case has invalid data: ${view.quarantine[0]!.reason}`);
  if (view.goals.length !== spec.goals || view.steps.length !== spec.steps) {
    throw new Error(`generated ${view.goals.length} goals / ${view.steps.length} steps, wanted ${spec.goals} / ${spec.steps}`);
  }
  const fragment = truth.getXmlFragment('ausgangslage');
  const rich = new RichTextEdits(truth, rng(0));
  const record = CaseRecord.parse({ id: caseId, displayName: spec.displayName, team: spec.team, createdAt, updatedAt });
  return {
    caseId,
    record,
    state: Y.encodeStateAsUpdate(truth),
    edits,
    clients,
    richTextChars: rich.chars(),
    expected: { goals: view.goals.length, steps: view.steps.length, paragraphs: fragment.length },
    rawCounts: { goals: truth.getMap('goals').size, steps: truth.getMap('steps').size, paragraphs: fragment.length },
    goalTitles: view.goals.map((g) => g.title),
    stepTexts: view.steps.map((s) => s.what),
  };
}

import type { CaseDocument } from '../../../src/case/caseDocument.ts';
import type { TextFieldOf } from '../../../src/case/collections.ts';
import { GoalStatus, StepStatus } from '../../../src/domain/case.ts';
import type { Rng } from '../lib/rng.ts';
import type { Entity, Ledger } from './ledger.ts';
import { word, words } from './words.ts';

// The fields a goal card and a plan step show first; other text fields stay as created.
const GOAL_FIELDS: TextFieldOf<'goals'>[] = ['title', 'clientWords', 'indicator'];
const STEP_FIELDS: TextFieldOf<'steps'>[] = ['what', 'who'];
const GOAL_STATUSES = GoalStatus.options;
const STEP_STATUSES = StepStatus.options;

/**
 * One user action on goals and steps through the real CaseDocument API (validated writes,
 * one transaction each), so the generated data has exactly the app's schema.
 */
export class CaseEdits {
  constructor(
    private readonly caseDoc: CaseDocument,
    private readonly ledger: Ledger,
    private readonly random: Rng,
    private readonly clock: () => number,
  ) {}

  addGoal(): void {
    const level = this.ledger.goals.length === 0 ? 'haupt' : 'teil';
    const id = this.caseDoc.addGoal(level, words(this.random, this.random.between(2, 4)));
    this.ledger.add(this.ledger.goals, id, {
      title: this.random.between(30, 90),
      clientWords: this.random.between(40, 140),
      indicator: this.random.between(30, 100),
    });
  }

  addStep(): void {
    const goal = this.ledger.pickLive(this.ledger.goals, this.random);
    const id = this.caseDoc.addStep(words(this.random, this.random.between(2, 4)), goal?.id);
    this.ledger.add(this.ledger.steps, id, { what: this.random.between(40, 140), who: this.random.between(8, 30) });
  }

  removeGoal(): void {
    // The Hauptziel stays: a case without one is not what a late joiner would see.
    const goal = this.ledger.pickLive(this.ledger.goals.slice(1), this.random);
    if (!goal) return;
    this.caseDoc.removeGoal(goal.id);
    goal.removed = true;
  }

  removeStep(): void {
    const step = this.ledger.pickLive(this.ledger.steps, this.random);
    if (!step) return;
    this.caseDoc.removeStep(step.id);
    step.removed = true;
  }

  /** A turn of writing in one goal field; returns the edits made. */
  goalText(): number {
    const goal = this.ledger.pickLive(this.ledger.goals, this.random);
    if (!goal) return 0;
    const field = this.random.pick(GOAL_FIELDS);
    return this.#typeInto(goal, field, this.caseDoc.goalText(goal.id, field));
  }

  stepText(): number {
    const step = this.ledger.pickLive(this.ledger.steps, this.random);
    if (!step) return 0;
    const field = this.random.pick(STEP_FIELDS);
    return this.#typeInto(step, field, this.caseDoc.stepText(step.id, field));
  }

  /** Status, due date, goal link or order: the small decisions of a conference. */
  scalar(): void {
    const goal = this.ledger.pickLive(this.ledger.goals, this.random);
    const step = this.ledger.pickLive(this.ledger.steps, this.random);
    // Reordering re-reads the whole case (CaseDocument.moveGoal), so it stays as rare as in use.
    const choice = this.random.int(9);
    if (goal && choice < 2) this.caseDoc.updateGoal(goal.id, { status: this.random.pick(GOAL_STATUSES) });
    else if (goal && choice < 4) this.caseDoc.updateGoal(goal.id, { due: this.#dueDate() });
    else if (step && choice < 6) this.caseDoc.updateStep(step.id, { status: this.random.pick(STEP_STATUSES) });
    else if (step && choice < 8) this.caseDoc.updateStep(step.id, { due: this.#dueDate() });
    else if (goal && this.ledger.goals.indexOf(goal) > 0) {
      this.caseDoc.moveGoal(goal.id, this.random.int(this.ledger.live(this.ledger.goals).length - 1));
    }
  }

  /** Grows a field word by word up to its target length, then rewords it; one edit per word. */
  #typeInto(entity: Entity, field: string, text: { value(): string; set(next: string): void }): number {
    const value = text.value();
    const parts = value.split(' ').filter(Boolean);
    if (value.length < (entity.targets[field] ?? 40) || parts.length < 2) {
      const count = this.random.between(1, 6);
      for (let i = 0; i < count; i++) {
        const current = text.value();
        text.set(current ? `${current} ${word(this.random)}` : word(this.random));
      }
      return count;
    }
    parts[this.random.int(parts.length)] = word(this.random);
    text.set(parts.join(' '));
    return 1;
  }

  #dueDate(): string {
    const day = new Date(this.clock() + this.random.between(7, 120) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }
}

import type { Rng } from '../lib/rng.ts';

/**
 * What the simulated history has created so far. Kept beside the document so picking a goal
 * to edit does not re-read (and re-validate) the whole case for each of 20,000 edits.
 */
export interface Entity {
  id: string;
  removed: boolean;
  /** Length each text field grows to before edits start rewording it instead. */
  targets: Record<string, number>;
}

export class Ledger {
  readonly goals: Entity[] = [];
  readonly steps: Entity[] = [];

  add(list: Entity[], id: string, targets: Record<string, number>): void {
    list.push({ id, removed: false, targets });
  }

  live(list: readonly Entity[]): Entity[] {
    return list.filter((entity) => !entity.removed);
  }

  pickLive(list: readonly Entity[], random: Rng): Entity | undefined {
    const live = this.live(list);
    return live.length > 0 ? random.pick(live) : undefined;
  }

  removedCount(list: readonly Entity[]): number {
    return list.length - this.live(list).length;
  }
}

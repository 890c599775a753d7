import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Rng } from './sim/random.ts';
import { DEFAULT_OPTIONS, runSeed, type RunResult } from './sim/run.ts';

/**
 * Partitions property (issue 8): 3–5 replicas edit one case through the case API while the
 * network partitions, reorders, duplicates and drops messages, replicas go offline and restart.
 * After healing every replica has the same state and holds every acknowledged edit (precisely:
 * sim/check.ts). `RT_SOAK_SEEDS=20000` runs more seeds, `RT_SOAK_STEPS`
 * longer schedules, `RT_FIRST_SEED` replays from a given seed (npm run soak).
 */
const SEEDS = Number(process.env.RT_SOAK_SEEDS ?? 500);
const FIRST_SEED = Number(process.env.RT_FIRST_SEED ?? 1);
const STEPS = Number(process.env.RT_SOAK_STEPS ?? DEFAULT_OPTIONS.steps);

let ids: Rng;
beforeEach(() => {
  // Entity ids follow the seed too, so a failing seed replays exactly.
  vi.spyOn(crypto, 'randomUUID').mockImplementation(() => ids.uuid() as `${string}-${string}-${string}-${string}-${string}`);
});
afterEach(() => vi.restoreAllMocks());

function run(seed: number): RunResult {
  ids = new Rng(seed ^ 0x5eed);
  return runSeed(seed, { ...DEFAULT_OPTIONS, steps: STEPS });
}

describe('partitions (in-memory Yjs sync)', () => {
  it(`${SEEDS} seeds converge and lose no acknowledged edit`, { timeout: Math.max(120_000, SEEDS * 400) }, () => {
    const failures: RunResult[] = [];
    const totals = { edits: 0, sent: 0, dropped: 0, duplicated: 0, lostWithLink: 0, partitions: 0, reconnects: 0 };
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      const result = run(seed);
      totals.edits += result.edits;
      for (const key of ['sent', 'dropped', 'duplicated', 'lostWithLink', 'partitions', 'reconnects'] as const) totals[key] += result.stats[key];
      if (result.problems.length > 0) failures.push(result);
      if (failures.length >= 3) break;
    }
    if (process.env.RT_SOAK_SEEDS) console.log(`partitions: ${SEEDS} seeds of ${STEPS} steps`, totals);
    expect(failures.map((f) => ({ seed: f.seed, problems: f.problems.slice(0, 5) }))).toEqual([]);
    // The faults really happened (a schedule that never partitions proves nothing); a replay
    // of one seed may have none.
    if (SEEDS < 50) return;
    expect(totals.dropped).toBeGreaterThan(0);
    expect(totals.duplicated).toBeGreaterThan(0);
    expect(totals.lostWithLink).toBeGreaterThan(0);
  });

  it('the check catches a lost edit', () => {
    // The property must be able to fail: without the handshake on connect, what was written
    // apart never arrives.
    const failing = [1, 2, 3, 4, 5].filter((seed) => {
      ids = new Rng(seed);
      return runSeed(seed, { ...DEFAULT_OPTIONS, noHandshake: true }).problems.length > 0;
    });
    expect(failing.length).toBeGreaterThan(0);
  });
});

import type { CaseSpec } from './data/caseHistory.ts';

/** Every number that shapes the run, in one place; the JSON report repeats them. */

// A fixed "now" keeps generated timestamps, and so the encoded documents, identical per run.
const NOW = Date.UTC(2026, 0, 5);
const TWO_YEARS_DAYS = 728;

/** The large case: two years, ≥ 20,000 edits, 100 goals and 100 steps, 30 standard pages (1,800 characters each). */
export const LARGE_CASE: CaseSpec = {
  seed: 20_240_108,
  displayName: 'Großfall Benchmark',
  team: 'U25',
  goals: 100,
  steps: 100,
  removedGoals: 8,
  removedSteps: 8,
  richTextChars: 30 * 1800,
  edits: 20_000,
  sessions: 52,
  start: NOW - TWO_YEARS_DAYS * 86_400_000,
  days: TWO_YEARS_DAYS,
};

/** The case the conferences edit: a few months old, a handful of goals and steps. */
export const MEETING_CASE: CaseSpec = {
  seed: 7_2025,
  displayName: 'Konferenz Benchmark',
  team: 'Ü25',
  goals: 6,
  steps: 8,
  removedGoals: 1,
  removedSteps: 1,
  richTextChars: 2 * 1800,
  edits: 1_500,
  sessions: 6,
  start: NOW - 90 * 86_400_000,
  days: 90,
};

export const CASE_LIST = { seed: 500, count: 500, now: NOW };

/** The case list as a dashboard: 500 cases with summaries against the same page with 10 (figures/dashboard.ts). */
export const DASHBOARD = { seed: 2_500, count: 500, baselineCount: 10, repeats: 5 };

export const LATENCY = {
  /** BENCH_PARTICIPANTS=8 measures only that conference size, for quick iteration. */
  participants: process.env.BENCH_PARTICIPANTS ? process.env.BENCH_PARTICIPANTS.split(',').map(Number) : [2, 4, 8],
  warmupKeystrokes: 10,
  keystrokes: 120,
  /** A keystroke not seen everywhere after this long is a failure, not a slow sample. */
  arrivalTimeoutMs: 10_000,
};

export const REPEATS = { coldOpen: 5, lateJoin: 3, caseListStart: 3 };

export const SOAK = {
  minutes: Number(process.env.BENCH_SOAK_MINUTES ?? 10),
  seed: 8_8,
  /**
   * Words per participant per minute, all eight typing at once: a lively meeting. On two
   * cores the eight pages share, a faster pace only measures how far behind they fall.
   */
  wordsPerMinute: 15,
};

export const SIGNALING = {
  /** Connections per stage; each stage runs with all connections of the stage open. */
  stages: [250, 500, 1000, 2000, 4000],
  /** Per connection, well under the server's 100 msg/s limit, so the limiter is not what is measured. */
  messagesPerSecond: 5,
  /** Connections per topic, as in a conference. */
  roomSize: 4,
  /** Bytes of opaque payload per signal, like an encrypted SDP offer. */
  payloadBytes: 400,
  stageSeconds: 2,
  /**
   * A stage is sustained if (nearly) every relay arrives and none waits a second: throughput,
   * not tail latency, decides, because on a shared two-core machine the tail is the first
   * thing other work disturbs. Latency is compared separately, at equal load.
   */
  maxLossRatio: 0.001,
  maxP99Ms: 1000,
};

export const TIMEOUTS = { render: 60_000, setup: 60_000 };

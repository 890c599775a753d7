/**
 * Coalesces what other people do at the table into few, short screen-reader announcements.
 * A remote typist produces one change per keystroke; announcing each would drown whatever the
 * listener is doing. Events are gathered for a moment and then said as one summary
 * („Frau Demir hat 3 Änderungen gemacht.“), and never more often than once per interval.
 */

export type AnnounceEvent = { kind: 'edit'; name: string; count?: number } | { kind: 'joined'; name: string } | { kind: 'left'; name: string };

export interface Summary {
  /** Changes per person, in the order people first changed something. */
  edits: Map<string, number>;
  joined: string[];
  left: string[];
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescerOptions {
  /** How long a burst is gathered before it is said (typing continues meanwhile). */
  gatherMs?: number;
  /** The shortest time between two announcements. */
  intervalMs?: number;
  clock?: Clock;
}

export class AnnouncementCoalescer {
  readonly #say: (summary: Summary) => void;
  readonly #gatherMs: number;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #pending: Summary = emptySummary();
  #timer: unknown = null;
  #lastAt = -Infinity;

  constructor(say: (summary: Summary) => void, options: CoalescerOptions = {}) {
    this.#say = say;
    this.#gatherMs = options.gatherMs ?? 1_500;
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#clock = options.clock ?? realClock;
  }

  note(event: AnnounceEvent): void {
    const p = this.#pending;
    if (event.kind === 'edit') p.edits.set(event.name, (p.edits.get(event.name) ?? 0) + (event.count ?? 1));
    else if (event.kind === 'joined') {
      // Came and went within one summary: nothing to say about either.
      if (p.left.includes(event.name)) p.left = p.left.filter((n) => n !== event.name);
      else if (!p.joined.includes(event.name)) p.joined.push(event.name);
    } else if (p.joined.includes(event.name)) p.joined = p.joined.filter((n) => n !== event.name);
    else if (!p.left.includes(event.name)) p.left.push(event.name);
    this.#schedule();
  }

  /** Drops what is pending and stops the timer (the page goes away). */
  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = emptySummary();
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    const now = this.#clock.now();
    const at = Math.max(now + this.#gatherMs, this.#lastAt + this.#intervalMs);
    this.#timer = this.#clock.setTimeout(() => this.#flush(), at - now);
  }

  #flush(): void {
    this.#timer = null;
    const summary = this.#pending;
    this.#pending = emptySummary();
    if (summary.edits.size === 0 && summary.joined.length === 0 && summary.left.length === 0) return;
    this.#lastAt = this.#clock.now();
    this.#say(summary);
  }
}

function emptySummary(): Summary {
  return { edits: new Map(), joined: [], left: [] };
}

type Translate = (key: 'announce.joined' | 'announce.left' | 'announce.edit.one' | 'announce.edit.many', params: Record<string, string | number>) => string;

/** The summary as sentences: who came, who left, who changed how much. */
export function summaryText(summary: Summary, t: Translate): string {
  const parts = [
    ...summary.joined.map((name) => t('announce.joined', { name })),
    ...summary.left.map((name) => t('announce.left', { name })),
    ...[...summary.edits].map(([name, count]) => t(count === 1 ? 'announce.edit.one' : 'announce.edit.many', { name, count })),
  ];
  return parts.join(' ');
}

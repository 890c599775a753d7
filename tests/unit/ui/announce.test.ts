import { describe, expect, it } from 'vitest';
import { AnnouncementCoalescer, summaryText, type Clock, type Summary } from '../../../src/ui/common/announce.ts';
import { de } from '../../../src/i18n/catalogue.ts';

/** A clock the test moves by hand: timers fire only when time is advanced past them. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
  };
  return {
    clock,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = until;
    },
  };
}

const say = (key: keyof typeof de, params: Record<string, string | number>) =>
  de[key].replace(/\{(\w+)\}/g, (_, n: string) => String(params[n]));

function setup() {
  const time = manualClock();
  const said: string[] = [];
  const c = new AnnouncementCoalescer((s: Summary) => said.push(summaryText(s, say)), { gatherMs: 1_000, intervalMs: 5_000, clock: time.clock });
  return { time, said, c };
}

describe('AnnouncementCoalescer', () => {
  it('says a burst of keystrokes as one sentence with the count, after the gathering pause', () => {
    const { time, said, c } = setup();
    for (let i = 0; i < 3; i++) c.note({ kind: 'edit', name: 'Frau Demir' });
    time.advance(999);
    expect(said).toEqual([]);
    time.advance(1);
    expect(said).toEqual(['Frau Demir hat 3 Änderungen gemacht.']);
  });

  it('never says more than one thing per interval, however long someone types', () => {
    const { time, said, c } = setup();
    // 60 s of typing, one keystroke every 100 ms.
    for (let ms = 0; ms < 60_000; ms += 100) {
      c.note({ kind: 'edit', name: 'Herr Kaya' });
      time.advance(100);
    }
    time.advance(10_000);
    expect(said.length).toBeLessThanOrEqual(60_000 / 5_000 + 1);
    expect(said.length).toBeGreaterThanOrEqual(60_000 / 5_000 - 1);
    // Every keystroke is counted exactly once across the announcements.
    const total = said.reduce((sum, s) => sum + Number(/(\d+) Änderungen/.exec(s)?.[1] ?? 1), 0);
    expect(total).toBe(600);
  });

  it('summarises several people and comings and goings in one announcement', () => {
    const { time, said, c } = setup();
    c.note({ kind: 'joined', name: 'Jonas' });
    c.note({ kind: 'edit', name: 'Frau Wagner' });
    c.note({ kind: 'edit', name: 'Jonas' });
    c.note({ kind: 'edit', name: 'Jonas' });
    c.note({ kind: 'left', name: 'Herr Kaya' });
    time.advance(1_000);
    expect(said).toEqual([
      'Jonas ist jetzt am Tisch. Herr Kaya hat den Tisch verlassen. Frau Wagner hat eine Änderung gemacht. Jonas hat 2 Änderungen gemacht.',
    ]);
  });

  it('says nothing for someone who came and went within one summary', () => {
    const { time, said, c } = setup();
    c.note({ kind: 'joined', name: 'Jonas' });
    c.note({ kind: 'left', name: 'Jonas' });
    time.advance(10_000);
    expect(said).toEqual([]);
  });

  it('after an announcement, waits out the interval before the next', () => {
    const { time, said, c } = setup();
    c.note({ kind: 'edit', name: 'A' });
    time.advance(1_000);
    expect(said).toHaveLength(1);
    c.note({ kind: 'edit', name: 'A' });
    time.advance(4_999);
    expect(said).toHaveLength(1);
    time.advance(1);
    expect(said).toEqual(['A hat eine Änderung gemacht.', 'A hat eine Änderung gemacht.']);
  });

  it('stop drops what is pending', () => {
    const { time, said, c } = setup();
    c.note({ kind: 'edit', name: 'A' });
    c.stop();
    time.advance(10_000);
    expect(said).toEqual([]);
  });
});

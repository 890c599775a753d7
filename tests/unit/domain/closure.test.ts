import { describe, expect, it } from 'vitest';
import {
  ClientFeedback,
  ClosedRecord,
  EMPTY_CLOSURE,
  addMonths,
  defaultRetention,
  isClosed,
  mayDeleteLocally,
  missingBeforeClosing,
  type Closure,
} from '../../../src/domain/closure.ts';

const goalA = '11111111-1111-4111-8111-111111111111';
const goalB = '22222222-2222-4222-8222-222222222222';
const started: Closure = { ...EMPTY_CLOSURE, started: { at: 1 } };

describe('closure rules', () => {
  it('adds calendar months, ending at the last day of a shorter month', () => {
    expect(addMonths('2026-11-24', 6)).toBe('2027-05-24');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(defaultRetention('2026-11-24')).toBe('2027-05-24');
  });

  it('lists what is missing: start, reason, a text for "sonstiges", every live goal, a valid retention date', () => {
    expect(missingBeforeClosing(EMPTY_CLOSURE, [goalA])).toEqual([{ kind: 'notStarted' }, { kind: 'reason' }, { kind: 'attainment', goalId: goalA }]);
    const withOther: Closure = { ...started, reason: { reason: 'sonstiges', text: '  ', at: 2 } };
    expect(missingBeforeClosing(withOther, [])).toEqual([{ kind: 'reasonText' }]);
    const partly: Closure = {
      ...started,
      reason: { reason: 'arbeitsaufnahme', text: '', at: 2 },
      attainments: { [goalA]: { goalId: goalA, attainment: 'erreicht', note: '', at: 3 } },
    };
    expect(missingBeforeClosing(partly, [goalA, goalB])).toEqual([{ kind: 'attainment', goalId: goalB }]);
    expect(missingBeforeClosing(partly, [goalA])).toEqual([]);
    expect(missingBeforeClosing(partly, [goalA], { on: '2026-11-24', until: '2026-11-23' })).toEqual([{ kind: 'retention' }]);
    expect(missingBeforeClosing(partly, [goalA], { on: '2026-11-24', until: '' })).toEqual([{ kind: 'retention' }]);
    expect(missingBeforeClosing(partly, [goalA], { on: '2026-11-24', until: '2026-11-24' })).toEqual([]);
  });

  it('is closed with a closed record; local deletion only from the retention day on', () => {
    expect(isClosed(started)).toBe(false);
    expect(mayDeleteLocally(started, '2099-01-01')).toBe(false);
    const closed: Closure = { ...started, closed: { at: 5, on: '2026-11-24', retentionUntil: '2027-05-24' } };
    expect(isClosed(closed)).toBe(true);
    expect(mayDeleteLocally(closed, '2026-11-24')).toBe(false);
    expect(mayDeleteLocally(closed, '2027-05-23')).toBe(false);
    expect(mayDeleteLocally(closed, '2027-05-24')).toBe(true);
    expect(mayDeleteLocally(closed, '2028-01-01')).toBe(true);
  });

  it('rejects a retention date before the closing day and unknown feedback answers', () => {
    expect(ClosedRecord.safeParse({ at: 1, on: '2026-11-24', retentionUntil: '2026-11-01' }).success).toBe(false);
    expect(ClosedRecord.safeParse({ at: 1, on: '2026-11-24', retentionUntil: 'bald' }).success).toBe(false);
    const feedback = { participantId: goalA, answers: { ernstGenommen: 'ja' }, better: '', at: 1 };
    expect(ClientFeedback.safeParse(feedback).success).toBe(true);
    expect(ClientFeedback.safeParse({ ...feedback, answers: { ernstGenommen: 'vielleicht' } }).success).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIdleTimer } from '../../../src/ui/lock/idleTimer.ts';

describe('startIdleTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after the timeout without activity', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleTimer(10_000, onIdle, target);
    vi.advanceTimersByTime(9_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('any key or pointer activity starts the time again', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleTimer(10_000, onIdle, target);
    for (const type of ['keydown', 'pointermove', 'pointerdown', 'wheel']) {
      vi.advanceTimersByTime(8_000);
      target.dispatchEvent(new Event(type));
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(9_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops for good when stopped', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = startIdleTimer(1_000, onIdle, target);
    stop();
    vi.advanceTimersByTime(5_000);
    target.dispatchEvent(new Event('visibilitychange'));
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('a late timer (background tab) or a tab becoming visible checks the real time', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    let clock = 0;
    startIdleTimer(10_000, onIdle, target, () => clock);
    clock = 20_000; // time passed while timers were throttled
    target.dispatchEvent(new Event('visibilitychange'));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

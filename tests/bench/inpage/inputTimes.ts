import { now } from './clock.ts';

/** Times of the user's inputs, taken in the capture phase before the app sees the event. */
export interface InputTimes {
  keydowns: number[];
  lastClick: number | null;
}

export function recordInputTimes(target: EventTarget): InputTimes {
  const times: InputTimes = { keydowns: [], lastClick: null };
  target.addEventListener('keydown', () => times.keydowns.push(now()), { capture: true });
  target.addEventListener('click', () => (times.lastClick = now()), { capture: true });
  return times;
}

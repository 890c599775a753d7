import type { Awareness } from 'y-protocols/awareness';

/** The awareness field the collaboration caret (y-tiptap's cursor plugin) keeps the selection in. */
const CURSOR = 'cursor';

export type Schedule = (run: () => void) => void;

/** Typing with pauses shorter than this is one run of keystrokes: its caret moves wait. */
export const QUIET_MS = 150;
/** While someone types without a pause, the caret still moves on the others' screens this often. */
export const MAX_WAIT_MS = 750;

const later: Schedule = (run) => void setTimeout(run, QUIET_MS);

/**
 * The room's awareness as the collaboration caret sees it, with its caret writes coalesced:
 * typing moves the caret with every keystroke, and each write is a message of its own to every
 * peer, which each of them decodes, relays (y-webrtc floods every message on to its peers) and
 * redraws carets for; with eight people that was a second message per keystroke on every page.
 * Here the latest caret goes out once typing pauses for QUIET_MS, and at least every
 * MAX_WAIT_MS while it does not; everything else passes straight through. Clearing the caret
 * (focus left, editor destroyed) is not delayed. The caret plugin reads back what it wrote (to
 * skip unchanged positions), so the local state it reads includes the caret waiting to go out.
 *
 * A caret equal to the one already out (or waiting) is not written at all. The caret plugin
 * forces a write after every remote change while its editor has the focus, even when the
 * caret's position in Yjs did not move; with the focus in the text on every page, that was a
 * caret message every MAX_WAIT_MS from each of them while anyone typed, which every other page
 * decoded, relayed and checked. A remote change does not move a Yjs position, so the others
 * already place the caret right.
 */
export function coalescingCursor(
  awareness: Awareness,
  schedule: Schedule = later,
  now: () => number = () => performance.now(),
): Awareness {
  let pending: { value: unknown; since: number; last: number } | null = null;
  const flush = (): void => {
    if (!pending) return;
    const t = now();
    // Still typing, and the caret went out recently enough: wait for the pause.
    if (t - pending.last < QUIET_MS && t - pending.since < MAX_WAIT_MS) return schedule(flush);
    const { value } = pending;
    pending = null;
    awareness.setLocalStateField(CURSOR, value);
  };
  const setLocalStateField = (field: string, value: unknown): void => {
    if (field === CURSOR && value !== null) {
      const latest = pending ? pending.value : awareness.getLocalState()?.[CURSOR];
      if (sameCaret(latest, value)) return;
      const t = now();
      if (pending) pending = { value, since: pending.since, last: t };
      else {
        pending = { value, since: t, last: t };
        schedule(flush);
      }
      return;
    }
    if (field === CURSOR) pending = null;
    awareness.setLocalStateField(field, value);
  };
  const getLocalState = (): Record<string, unknown> | null => {
    const state = awareness.getLocalState();
    return pending && state ? { ...state, [CURSOR]: pending.value } : state;
  };
  return new Proxy(awareness, {
    get(target, prop) {
      if (prop === 'setLocalStateField') return setLocalStateField;
      if (prop === 'getLocalState') return getLocalState;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The same caret as it goes over the wire (awareness sends its state as JSON). */
function sameCaret(a: unknown, b: unknown): boolean {
  return a != null && b != null && JSON.stringify(a) === JSON.stringify(b);
}

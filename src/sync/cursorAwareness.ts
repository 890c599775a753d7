import type { Awareness } from 'y-protocols/awareness';

/** The awareness field the collaboration caret (y-tiptap's cursor plugin) keeps the selection in. */
const CURSOR = 'cursor';

export type Schedule = (run: () => void) => void;

/**
 * After the next frame has been painted; without frames (a hidden tab) after at most 100 ms,
 * so a caret that left is still cleared.
 */
const afterNextFrame: Schedule = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
};

/**
 * The room's awareness as the collaboration caret sees it, with its caret writes coalesced:
 * typing moves the caret with every keystroke, and each write is a message of its own to every
 * peer (and a caret redraw there) right behind the keystroke's update, competing with it on
 * every page. Here the latest caret goes out once per frame, after the frame that showed the
 * keystroke; everything else passes straight through. Clearing the caret (focus left, editor
 * destroyed) is not delayed. The caret plugin reads back what it wrote (to skip unchanged
 * positions), so the local state it reads includes the caret waiting to go out.
 */
export function coalescingCursor(awareness: Awareness, schedule: Schedule = afterNextFrame): Awareness {
  let pending: { value: unknown } | null = null;
  const flush = (): void => {
    if (!pending) return;
    const { value } = pending;
    pending = null;
    awareness.setLocalStateField(CURSOR, value);
  };
  const setLocalStateField = (field: string, value: unknown): void => {
    if (field === CURSOR && value !== null) {
      const first = pending === null;
      pending = { value };
      if (first) schedule(flush);
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

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { MAX_WAIT_MS, QUIET_MS, coalescingCursor } from '../../../src/sync/cursorAwareness.ts';

function setup() {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalStateField('user', { name: 'Frau Aydin' });
  const queued: (() => void)[] = [];
  let clock = 0;
  const wrapped = coalescingCursor(awareness, (run) => queued.push(run), () => clock);
  let sent = 0;
  awareness.on('update', () => sent++);
  const advance = (ms: number) => (clock += ms);
  return { awareness, wrapped, queued, sent: () => sent, advance };
}

describe('coalescingCursor', () => {
  it('sends only the latest of several caret moves, once, when typing pauses', () => {
    const { awareness, wrapped, queued, sent, advance } = setup();
    wrapped.setLocalStateField('cursor', { anchor: 1, head: 1 });
    wrapped.setLocalStateField('cursor', { anchor: 2, head: 2 });
    expect(sent()).toBe(0);
    expect(queued).toHaveLength(1);
    // What the caret plugin reads back already holds the waiting caret, so it does not write it again.
    expect(wrapped.getLocalState()).toMatchObject({ user: { name: 'Frau Aydin' }, cursor: { anchor: 2 } });
    expect(awareness.getLocalState()?.['cursor']).toBeUndefined();
    advance(QUIET_MS);
    queued.shift()!();
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()).toMatchObject({ cursor: { anchor: 2, head: 2 } });
    expect(queued).toHaveLength(0);
  });

  it('waits while typing goes on, but not longer than the maximum wait', () => {
    const { awareness, wrapped, queued, sent, advance } = setup();
    let pos = 0;
    const type = () => wrapped.setLocalStateField('cursor', { anchor: ++pos, head: pos });
    type();
    // A keystroke every 100 ms: never a pause long enough.
    while (sent() === 0) {
      advance(100);
      type();
      if (queued.length) queued.shift()!();
      expect(pos).toBeLessThan(MAX_WAIT_MS / 100 + 3);
    }
    expect(pos * 100).toBeGreaterThanOrEqual(MAX_WAIT_MS);
    expect(awareness.getLocalState()).toMatchObject({ cursor: { anchor: pos } });
  });

  it('clears a caret at once and drops a move still waiting', () => {
    const { awareness, wrapped, queued, sent, advance } = setup();
    wrapped.setLocalStateField('cursor', { anchor: 3, head: 3 });
    wrapped.setLocalStateField('cursor', null);
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()?.['cursor']).toBeNull();
    advance(QUIET_MS);
    queued.shift()!();
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()?.['cursor']).toBeNull();
  });

  it('does not send a caret again that has not moved in the text', () => {
    const { awareness, wrapped, queued, sent, advance } = setup();
    const text = awareness.doc.getText('t');
    text.insert(0, 'Termin am Montag');
    // What the caret plugin writes: relative positions, made anew for every write.
    const caret = (index: number) => ({
      anchor: Y.createRelativePositionFromTypeIndex(text, index),
      head: Y.createRelativePositionFromTypeIndex(text, index),
    });
    wrapped.setLocalStateField('cursor', caret(5));
    advance(QUIET_MS);
    queued.shift()!();
    expect(sent()).toBe(1);
    // Someone else types before the caret: its place in Yjs is the same, the plugin writes it again.
    text.insert(0, 'Neu: ');
    wrapped.setLocalStateField('cursor', caret(10));
    expect(queued).toHaveLength(0);
    advance(MAX_WAIT_MS);
    expect(sent()).toBe(1);
    // A real move still goes out, and a repeat of the waiting one adds nothing.
    wrapped.setLocalStateField('cursor', caret(12));
    wrapped.setLocalStateField('cursor', caret(12));
    expect(queued).toHaveLength(1);
    advance(QUIET_MS);
    queued.shift()!();
    expect(sent()).toBe(2);
    expect(Y.createAbsolutePositionFromRelativePosition(awareness.getLocalState()?.['cursor'].anchor, awareness.doc)?.index).toBe(12);
  });

  it('passes other fields and everything else straight through', () => {
    const { awareness, wrapped, sent } = setup();
    wrapped.setLocalStateField('user', { name: 'Jonas' });
    expect(sent()).toBe(1);
    expect(wrapped.clientID).toBe(awareness.clientID);
    expect(wrapped.getStates()).toBe(awareness.getStates());
    let changes = 0;
    const listener = () => changes++;
    wrapped.on('change', listener);
    awareness.setLocalStateField('user', { name: 'Anna' });
    wrapped.off('change', listener);
    awareness.setLocalStateField('user', { name: 'Ben' });
    expect(changes).toBe(1);
  });
});

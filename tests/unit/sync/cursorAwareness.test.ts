import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { coalescingCursor } from '../../../src/sync/cursorAwareness.ts';

function setup() {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalStateField('user', { name: 'Frau Aydin' });
  const queued: (() => void)[] = [];
  const wrapped = coalescingCursor(awareness, (run) => queued.push(run));
  let sent = 0;
  awareness.on('update', () => sent++);
  return { awareness, wrapped, queued, sent: () => sent };
}

describe('coalescingCursor', () => {
  it('sends only the latest of several caret moves, once, when the frame is done', () => {
    const { awareness, wrapped, queued, sent } = setup();
    wrapped.setLocalStateField('cursor', { anchor: 1, head: 1 });
    wrapped.setLocalStateField('cursor', { anchor: 2, head: 2 });
    expect(sent()).toBe(0);
    expect(queued).toHaveLength(1);
    // What the caret plugin reads back already holds the waiting caret, so it does not write it again.
    expect(wrapped.getLocalState()).toMatchObject({ user: { name: 'Frau Aydin' }, cursor: { anchor: 2 } });
    expect(awareness.getLocalState()?.['cursor']).toBeUndefined();
    queued.shift()!();
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()).toMatchObject({ cursor: { anchor: 2, head: 2 } });
  });

  it('clears a caret at once and drops a move still waiting', () => {
    const { awareness, wrapped, queued, sent } = setup();
    wrapped.setLocalStateField('cursor', { anchor: 3, head: 3 });
    wrapped.setLocalStateField('cursor', null);
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()?.['cursor']).toBeNull();
    queued.shift()!();
    expect(sent()).toBe(1);
    expect(awareness.getLocalState()?.['cursor']).toBeNull();
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

import { describe, expect, it } from 'vitest';
import { PRESENCE_COLOURS, PresenceList, participantsFrom } from '../../../src/sync/presence.ts';

const [red, blue] = PRESENCE_COLOURS as [string, string];
type States = Map<number, Record<string, unknown>>;

function table(): States {
  return new Map<number, Record<string, unknown>>([
    [1, { user: { name: 'Jonas', role: 'klient', color: blue } }],
    [2, { user: { name: 'Frau Aydin', role: 'fallmanager', color: red } }],
    [3, { user: { name: 'Mallory', color: red } }],
  ]);
}

describe('PresenceList', () => {
  it('lists what participantsFrom lists', () => {
    const states = table();
    const list = new PresenceList();
    expect(list.update(states, 2, states.keys())).toBe(true);
    expect(list.list).toEqual(participantsFrom(states, 2));
  });

  it('does not change when only a caret moved', () => {
    const states = table();
    const list = new PresenceList();
    list.update(states, 2, states.keys());
    const before = list.list;
    states.set(1, { ...states.get(1), cursor: { anchor: { item: { client: 1, clock: 7 } }, head: null } });
    expect(list.update(states, 2, [1])).toBe(false);
    expect(list.list).toBe(before);
  });

  it('follows a changed name, a new and a gone participant, reading only the ids it is given', () => {
    const states = table();
    const list = new PresenceList();
    list.update(states, 2, states.keys());
    states.set(1, { user: { name: 'Jonas K.', role: 'klient', color: blue } });
    states.set(4, { user: { name: 'Anna', role: 'partner', color: blue } });
    // Not named: left as it was read last time.
    states.set(2, { user: { name: 'Unbemerkt', role: 'fallmanager', color: red } });
    expect(list.update(states, 2, [1, 4])).toBe(true);
    expect(list.list.map((p) => p.name)).toEqual(['Frau Aydin', 'Anna', 'Jonas K.']);
    states.delete(4);
    expect(list.update(states, 2, [4])).toBe(true);
    expect(list.list.map((p) => p.name)).toEqual(['Frau Aydin', 'Jonas K.']);
  });

  it('ignores malformed states coming and going', () => {
    const states = table();
    const list = new PresenceList();
    list.update(states, 2, states.keys());
    states.set(3, { user: { name: 'Mallory', role: 'admin', color: red } });
    expect(list.update(states, 2, [3])).toBe(false);
    states.delete(3);
    expect(list.update(states, 2, [3])).toBe(false);
    expect(list.list.map((p) => p.clientId)).toEqual([2, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { PRESENCE_COLOURS, distinctColour, participantsFrom } from '../../../src/sync/presence.ts';

const [red, blue, green] = PRESENCE_COLOURS as [string, string, string];

describe('distinctColour', () => {
  it('keeps a colour nobody else has', () => {
    expect(distinctColour(5, red, [{ clientId: 1, color: blue }])).toBe(red);
  });
  it('keeps its colour on a clash when it has the lower id; the other gives way', () => {
    expect(distinctColour(1, red, [{ clientId: 5, color: red }])).toBe(red);
    expect(distinctColour(5, red, [{ clientId: 1, color: red }])).toBe(blue);
  });
  it('takes the first colour not in use', () => {
    expect(distinctColour(9, red, [{ clientId: 1, color: red }, { clientId: 2, color: blue }])).toBe(green);
  });
  it('keeps its colour when every colour is taken', () => {
    const others = PRESENCE_COLOURS.map((color, i) => ({ clientId: i, color }));
    expect(distinctColour(99, red, others)).toBe(red);
  });
});

describe('participantsFrom', () => {
  it('lists valid peers, self first, and leaves out malformed awareness states', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Jonas', role: 'klient', color: blue } }],
      [2, { user: { name: 'Frau Aydin', role: 'fallmanager', color: red } }],
      [3, { user: { name: 'Mallory', color: green } }],
      [4, { user: { name: '<img src=x onerror=alert(1)>'.repeat(50), role: 'partner', color: green } }],
      [5, { user: { name: 'Eve', role: 'admin', color: green } }],
      [6, { user: { name: 'Rot', role: 'partner', color: 'red; background:url(x)' } }],
      [7, {}],
    ]);
    const list = participantsFrom(states, 2);
    expect(list.map((p) => [p.clientId, p.self])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { LINKS_FIELD, relayNeeded } from '../../../src/sync/meshRelay.ts';

/** A room as meshRelay sees it: this device (client 1) and the others' awareness states. */
function room(myLinks: number, others: Record<number, Record<string, unknown>>, bc = 0) {
  const states = new Map<number, Record<string, unknown>>([[1, {}], ...Object.entries(others).map(([id, s]) => [Number(id), s] as const)]);
  const webrtcConns = new Map(Array.from({ length: myLinks }, (_, i) => [`p${i}`, { connected: true }] as const));
  return { awareness: { clientID: 1, getStates: () => states }, webrtcConns, bcConns: new Set(Array.from({ length: bc }, (_, i) => `bc${i}`)) };
}

describe('relaying received updates', () => {
  it('is skipped when everyone is linked to everyone', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 2 } }))).toBe(false);
  });
  it('is needed while someone is linked to fewer than all others', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 1 } }))).toBe(true);
  });
  it('is needed while this device itself misses a link', () => {
    expect(relayNeeded(room(1, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 2 } }))).toBe(true);
  });
  it('is needed for a participant that says nothing about its links (a stock client)', () => {
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: {} }))).toBe(true);
    expect(relayNeeded(room(2, { 2: { [LINKS_FIELD]: 2 }, 3: { [LINKS_FIELD]: 'all' } }))).toBe(true);
  });
  it('is needed when another tab shares the room over BroadcastChannel', () => {
    expect(relayNeeded(room(1, { 2: { [LINKS_FIELD]: 1 } }, 1))).toBe(true);
  });
  it('has nobody to reach when alone', () => {
    expect(relayNeeded(room(0, {}))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkPresence } from '../../../src/app/presenceCheck.ts';
import type { Participant } from '../../../src/domain/participants.ts';

const member = (over: Partial<Participant>): Participant =>
  ({
    id: '7f1c6a56-0a5b-4b8f-9d59-1f2c3d4e5f60',
    createdAt: 1,
    updatedAt: 1,
    name: 'Herr Wolff',
    role: 'partner',
    organisation: 'Caritas Schuldnerberatung',
    fingerprint: 'AAAA BBBB',
    ...over,
  }) as Participant;

describe('presence against the admission record', () => {
  const wolff = member({});
  const removed = member({ id: '2c9a1d3e-5b6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Frau Alt', fingerprint: 'CCCC DDDD', removedAt: 5 });
  const members = [wolff, removed];

  it('confirms a device whose fingerprint and name match a participant at the table', () => {
    expect(checkPresence({ name: 'Herr Wolff', role: 'partner', fingerprint: 'AAAA BBBB' }, members)).toEqual({ kind: 'confirmed', member: wolff });
    // Spacing and Unicode form are not a different name.
    expect(checkPresence({ name: ' Herr Wolff ', role: 'partner', fingerprint: 'AAAA BBBB' }, members).kind).toBe('confirmed');
  });

  it('shows the recorded person when the device claims another name or role', () => {
    expect(checkPresence({ name: 'Frau Aydin', role: 'partner', fingerprint: 'AAAA BBBB' }, members)).toEqual({
      kind: 'renamed',
      member: wolff,
      claimed: 'Frau Aydin',
    });
    expect(checkPresence({ name: 'Herr Wolff', role: 'fallmanager', fingerprint: 'AAAA BBBB' }, members).kind).toBe('renamed');
  });

  it('marks as unconfirmed: no fingerprint, an unknown one, or a removed participant’s', () => {
    expect(checkPresence({ name: 'Herr Wolff', role: 'partner' }, members)).toEqual({ kind: 'unconfirmed', claimed: 'Herr Wolff' });
    expect(checkPresence({ name: 'Herr Wolff', role: 'partner', fingerprint: 'EEEE FFFF' }, members).kind).toBe('unconfirmed');
    expect(checkPresence({ name: 'Frau Alt', role: 'partner', fingerprint: 'CCCC DDDD' }, members).kind).toBe('unconfirmed');
  });
});

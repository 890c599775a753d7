import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';

// The desk's own logic is under test here: the real lobby room (WebRTC) and the knocks'
// crypto are exercised end-to-end in tests/e2e/admission.spec.ts. Joining is recorded so
// the test sees which lobbies are open; leaving is recorded so it sees which closed.
const rooms = vi.hoisted(() => ({ joined: [] as string[], left: [] as string[], handedOut: 0 }));

vi.mock('../../../src/sync/conferenceRoom.ts', () => ({
  ConferenceRoom: {
    join: async (_doc: unknown, secret: { roomId: string }) => {
      rooms.joined.push(secret.roomId);
      return { leave: async () => void rooms.left.push(secret.roomId) };
    },
  },
}));
vi.mock('../../../src/sync/runtimeConfig.ts', () => ({
  loadRuntimeConfig: async () => ({ signaling: [], iceServers: [] }),
  resolveSignalingUrls: () => [],
}));
vi.mock('../../../src/storage/pinnedKeys.ts', () => ({ pinKeys: async () => undefined }));
vi.mock('../../../src/storage/db.ts', () => ({ appDb: () => ({}) }));
vi.mock('../../../src/sync/lobby.ts', () => ({
  readKnocks: async () => [],
  refuse: () => undefined,
  admit: async () => void rooms.handedOut++,
}));

const { AdmissionDesk, InviteClosedError, inviteOpen, listedBefore } = await import('../../../src/app/admissionDesk.ts');
const { CaseDocument } = await import('../../../src/case/caseDocument.ts');
const { newRoomSecret } = await import('../../../src/crypto/roomSecret.ts');
const { newId } = await import('../../../src/domain/ids.ts');
type Invite = import('../../../src/storage/caseRecord.ts').Invite;
type LobbyEntry = import('../../../src/app/admissionDesk.ts').LobbyEntry;

const start = Date.parse('2026-11-23T10:00:00Z');
const hour = 3_600_000;

function invite(expiresIn: number, extra: Partial<Invite> = {}): Invite {
  return { id: newId(), name: 'Frau Berg', role: 'klient', organisation: '', lobby: newRoomSecret(), createdAt: start, expiresAt: start + expiresIn, ...extra };
}

function knockFor(inv: Invite): LobbyEntry {
  return {
    name: 'Frau Berg',
    role: 'klient',
    organisation: '',
    keys: { sign: 'sign-key', agree: 'agree-key' },
    fingerprint: 'AB12-CD34',
    at: start,
    answer: null,
    received: false,
    invite: inv,
  } as unknown as LobbyEntry;
}

function desk() {
  const caseDoc = new CaseDocument(new Y.Doc());
  const me = { participantId: newId(), name: 'Frau Aydin', role: 'fallmanager' } as never;
  return { caseDoc, desk: new AdmissionDesk(caseDoc, me, () => undefined) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: start });
  vi.stubGlobal('location', { origin: 'https://runder-tisch.test' });
  rooms.joined = [];
  rooms.left = [];
  rooms.handedOut = 0;
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('inviteOpen', () => {
  it('is open until the expiry, and closed when withdrawn, expired or used', () => {
    const open = invite(hour);
    expect(inviteOpen(open, start)).toBe(true);
    expect(inviteOpen(open, start + hour - 1)).toBe(true);
    expect(inviteOpen(open, start + hour)).toBe(false);
    expect(inviteOpen({ ...open, withdrawnAt: start }, start)).toBe(false);
    expect(inviteOpen({ ...open, admitted: 'AB12-CD34' }, start)).toBe(false);
    // Without an explicit time the clock decides (the fake one here).
    expect(inviteOpen(open)).toBe(true);
    vi.setSystemTime(start + hour);
    expect(inviteOpen(open)).toBe(false);
  });
});

describe('AdmissionDesk and invite expiry', () => {
  it('refuses to admit through an invite that expired while its lobby was still open', async () => {
    const { caseDoc, desk: d } = desk();
    const inv = invite(hour);
    // The timer is not allowed to run: the lobby is still open when the host clicks.
    vi.setSystemTime(start);
    await d.sync([inv]);
    expect(rooms.joined).toEqual([inv.lobby.roomId]);
    vi.setSystemTime(start + hour + 1);

    await expect(d.admit(knockFor(inv), newId(), newRoomSecret())).rejects.toBeInstanceOf(InviteClosedError);
    expect(caseDoc.view().participants).toHaveLength(0);
    expect(rooms.handedOut).toBe(0);
    await d.destroy();
  });

  it('admits through an invite that is still open', async () => {
    const { caseDoc, desk: d } = desk();
    const inv = invite(hour);
    await d.sync([inv]);
    vi.setSystemTime(start + hour - 1000);
    await d.admit(knockFor(inv), newId(), newRoomSecret());
    expect(caseDoc.view().participants).toHaveLength(1);
    expect(rooms.handedOut).toBe(1);
    await d.destroy();
  });

  it('closes an expired invite’s lobby by itself at the earliest expiry, and the later one at its own', async () => {
    const { desk: d } = desk();
    const soon = invite(hour);
    const later = invite(3 * hour);
    const seen: number[] = [];
    d.subscribe((entries) => seen.push(entries.length));
    await d.sync([later, soon]);
    expect(rooms.joined.sort()).toEqual([soon.lobby.roomId, later.lobby.roomId].sort());

    await vi.advanceTimersByTimeAsync(hour - 1);
    expect(rooms.left).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(rooms.left).toEqual([soon.lobby.roomId]);
    await expect(d.admit(knockFor(soon), newId(), newRoomSecret())).rejects.toBeInstanceOf(InviteClosedError);

    await vi.advanceTimersByTimeAsync(2 * hour);
    expect(rooms.left).toEqual([soon.lobby.roomId, later.lobby.roomId]);
    // Nothing is left open, so no timer is pending either.
    expect(vi.getTimerCount()).toBe(0);
    await d.destroy();
  });

  it('stops the expiry timer when the conference ends', async () => {
    const { desk: d } = desk();
    await d.sync([invite(hour)]);
    expect(vi.getTimerCount()).toBe(1);
    await d.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('listedBefore: an invited person the case already lists', () => {
  const base = { order: 'a0', createdAt: 1, organisation: '' };
  const jonas = { ...base, id: '11111111-1111-4111-8111-111111111111', name: 'Jonas', role: 'klient' as const };
  const wolff = { ...base, id: '22222222-2222-4222-8222-222222222222', name: 'Herr Wolff', role: 'partner' as const, partnerId: '33333333-3333-4333-8333-333333333333' };

  it('is found by role and name (ignoring case and spaces), for a partner also by organisation', () => {
    expect(listedBefore([jonas, wolff], { name: ' jonas ', role: 'klient' })?.id).toBe(jonas.id);
    expect(listedBefore([jonas, wolff], { name: 'Herr Wolff', role: 'partner', partnerId: wolff.partnerId })?.id).toBe(wolff.id);
    expect(listedBefore([jonas, wolff], { name: 'Herr Wolff', role: 'partner', partnerId: '44444444-4444-4444-8444-444444444444' })).toBeUndefined();
    expect(listedBefore([jonas], { name: 'Jonas', role: 'angehoerige' })).toBeUndefined();
  });

  it('is not someone whose device already sat at the table, nor a removed entry, nor one of two namesakes', () => {
    expect(listedBefore([{ ...jonas, fingerprint: 'abcd' }], { name: 'Jonas', role: 'klient' })).toBeUndefined();
    expect(listedBefore([{ ...jonas, removedAt: 5 }], { name: 'Jonas', role: 'klient' })).toBeUndefined();
    expect(listedBefore([jonas, { ...jonas, id: '55555555-5555-4555-8555-555555555555' }], { name: 'Jonas', role: 'klient' })).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRoomSecret, RoomSecret } from '../../../src/crypto/roomSecret.ts';
import { inviteUrl, parseJoinHash } from '../../../src/sync/invite.ts';
import { parseRoute } from '../../../src/ui/route.ts';

/**
 * URLs, fuzzed (issue 8): the router and the invite-link parser take any fragment without
 * throwing; a fragment is a case route only with a well-formed case id, and an invite only
 * with a well-formed room id and key; everything else is a clear error ('missing' or
 * 'malformed') or the case list. Both are pure: a bad link writes nothing anywhere.
 */

const RUNS = Number(process.env.RT_FUZZ_RUNS ?? 300);
const UUID = /^[0-9a-f-]{36}$/;

/** Fragments near the real ones, and arbitrary text. */
const fragment = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }).map((s) => `#/join/${s}`),
  fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 60 })).map(([a, b]) => `#/join/${a}/${b}`),
  fc.uuid().map((id) => `#/case/${id}`),
  fc.tuple(fc.uuid(), fc.string({ maxLength: 10 })).map(([id, s]) => `#/case/${id}${s}`),
  fc.tuple(fc.uuid(), fc.nat()).map(([id, n]) => `#/case/${id}/print/${n}`),
  fc.constant(''),
  fc.constant('#'),
);

describe('fuzz: links', () => {
  it('the router maps any fragment to a route and never throws', () => {
    fc.assert(
      fc.property(fragment, (hash) => {
        const route = parseRoute(hash);
        expect(['cases', 'case', 'join']).toContain(route.name);
        if (route.name === 'case') {
          expect(route.caseId).toMatch(UUID);
          if (route.print !== undefined) expect(Number.isInteger(route.print) && route.print >= 0 && route.print < 1e6).toBe(true);
        }
        if (route.name === 'join') expect(hash.startsWith('#/join')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('an invite fragment parses to a valid secret or a clear error, never throws', () => {
    fc.assert(
      fc.property(fragment, (hash) => {
        const parsed = parseJoinHash(hash);
        if (parsed.ok) expect(RoomSecret.safeParse(parsed.secret).success).toBe(true);
        else expect(['missing', 'malformed']).toContain(parsed.error);
      }),
      { numRuns: RUNS },
    );
  });

  it('a real invite link survives the URL round trip; any single changed character is refused or yields another valid secret', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('A', '_', '-', '/', '%', '=', ' ', 'é', ''), (at, c) => {
        const secret = newRoomSecret();
        const hash = new URL(inviteUrl('https://tisch.example/app/?x=1', secret)).hash;
        expect(parseJoinHash(hash)).toEqual({ ok: true, secret });
        const i = '#/join/'.length + (at % (hash.length - '#/join/'.length));
        const changed = hash.slice(0, i) + c + hash.slice(i + 1);
        const parsed = parseJoinHash(changed);
        if (parsed.ok) expect(RoomSecret.safeParse(parsed.secret).success).toBe(true);
        else expect(['missing', 'malformed']).toContain(parsed.error);
      }),
      { numRuns: RUNS },
    );
  });
});

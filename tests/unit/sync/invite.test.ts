import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../../src/crypto/encoding.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';
import { inviteUrl, parseJoinHash } from '../../../src/sync/invite.ts';

describe('invite links', () => {
  it('carry a 128-bit room id and a 256-bit key in the fragment only', () => {
    const secret = newRoomSecret();
    expect(fromBase64Url(secret.roomId)).toHaveLength(16);
    expect(fromBase64Url(secret.key)).toHaveLength(32);
    const url = new URL(inviteUrl('http://127.0.0.1:8080/?x=1#/case/abc', secret));
    expect(url.search).toBe('');
    expect(url.pathname).toBe('/');
    expect(url.hash).toBe(`#/join/${secret.roomId}/${secret.key}`);
    expect(parseJoinHash(url.hash)).toEqual({ ok: true, secret });
  });

  it('are random each time', () => {
    const a = newRoomSecret();
    const b = newRoomSecret();
    expect(a.roomId).not.toBe(b.roomId);
    expect(a.key).not.toBe(b.key);
  });

  it.each([
    ['#/join', 'missing'],
    ['#/join/', 'missing'],
    ['#/join/AAAAAAAAAAAAAAAAAAAAAA', 'missing'],
    ['#/join/AAAAAAAAAAAAAAAAAAAAAA/', 'missing'],
    ['#/join/short/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'malformed'],
    ['#/join/AAAAAAAAAAAAAAAAAAAAAA/tooshort', 'malformed'],
    ['#/join/AAAAAAAAAAAAAAAAAAAA!!/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'malformed'],
    ['#/join/AAAAAAAAAAAAAAAAAAAAAA/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/extra', 'missing'],
    ['#/case/x', 'missing'],
  ])('rejects %s as %s', (hash, error) => {
    expect(parseJoinHash(hash)).toEqual({ ok: false, error });
  });
});

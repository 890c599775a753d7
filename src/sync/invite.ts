import { RoomSecret } from '../crypto/roomSecret.ts';

export { RoomSecret };

const JOIN_PREFIX = '#/join/';

/** The invite link: the secret is in the fragment, which browsers never send to a server. */
export function inviteUrl(base: string, secret: RoomSecret): string {
  const url = new URL(base);
  url.search = '';
  url.hash = `${JOIN_PREFIX.slice(1)}${secret.roomId}/${secret.key}`;
  return url.toString();
}

export function isJoinHash(hash: string): boolean {
  return hash.startsWith(JOIN_PREFIX);
}

export type InviteParse = { ok: true; secret: RoomSecret } | { ok: false; error: 'missing' | 'malformed' };

export function parseJoinHash(hash: string): InviteParse {
  if (!isJoinHash(hash)) return { ok: false, error: 'missing' };
  const parts = hash.slice(JOIN_PREFIX.length).split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, error: 'missing' };
  const parsed = RoomSecret.safeParse({ roomId: parts[0], key: parts[1] });
  return parsed.success ? { ok: true, secret: parsed.data } : { ok: false, error: 'malformed' };
}

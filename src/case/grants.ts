import type * as Y from 'yjs';
import { z } from 'zod';
import { RoomSecret } from '../crypto/roomSecret.ts';
import { WrappedSecret } from '../crypto/wrap.ts';
import { Timestamp } from '../domain/dates.ts';
import type { ScopeId } from '../domain/visibility.ts';
import { rootMap } from './layout.ts';
import { LOCAL_EDIT } from './origin.ts';

/** A further scope's name: `confidential` or `topic:<topic>`. */
export const ScopeName = z.string().regex(/^(confidential|topic:[a-z]{1,40})$/);

/**
 * The current key of one further scope, wrapped for each device entitled to it (like a
 * keyring entry). The host writes one when someone becomes entitled (a consent releases a
 * topic) and when the scope's key is rotated (someone lost it); a newer entry replaces the
 * older. A device not listed receives nothing: it keeps what it had, in a room nobody uses.
 */
export const ScopeGrant = z.object({
  v: z.literal(1),
  scope: ScopeName,
  roomId: RoomSecret.shape.roomId,
  at: Timestamp,
  /** device fingerprint → the scope's room key, wrapped for that device */
  keys: z.record(z.string().max(100), WrappedSecret),
  /** Signer and signature, as on a keyring entry (keyring.ts). */
  by: z.string().max(100).optional(),
  sig: z.string().max(200).optional(),
});
export type ScopeGrant = z.infer<typeof ScopeGrant>;

/** Valid grants by scope. Malformed ones are ignored: they can grant nothing. */
export function readGrants(doc: Y.Doc): Map<ScopeId, ScopeGrant> {
  const out = new Map<ScopeId, ScopeGrant>();
  rootMap(doc, 'scopeGrants').forEach((value, key) => {
    const parsed = ScopeGrant.safeParse(value);
    if (parsed.success && parsed.data.scope === key) out.set(parsed.data.scope as ScopeId, parsed.data);
  });
  return out;
}

export function writeGrant(doc: Y.Doc, grant: ScopeGrant): void {
  const valid = ScopeGrant.parse(grant);
  doc.transact(() => rootMap(doc, 'scopeGrants').set(valid.scope, valid), LOCAL_EDIT);
}

/** Binds a wrapped scope key to its scope, room and device. */
export function grantContext(scope: string, roomId: string, fingerprint: string): string {
  return `runder-tisch/scope/v1/${scope}/${roomId}/${fingerprint}`;
}

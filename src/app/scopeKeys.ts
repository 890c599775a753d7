import type * as Y from 'yjs';
import { grantContext, readGrants, writeGrant, type ScopeGrant } from '../case/grants.ts';
import type { CaseView } from '../case/read.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import type { DeviceIdentity } from '../crypto/identity.ts';
import { RoomSecret } from '../crypto/roomSecret.ts';
import { unwrapSecret, wrapSecret } from '../crypto/wrap.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Participant } from '../domain/participants.ts';
import { scopesFor, type ScopeId } from '../domain/visibility.ts';
import { sign, type Signer } from './rotation.ts';

/** Devices at the table (not removed, with keys) entitled to `scope` today. */
export function entitledDevices(view: CaseView, scope: ScopeId, today: IsoDate): Participant[] {
  return view.participants.filter(
    (p) => !p.removedAt && p.fingerprint && p.agreeKey && scopesFor(p, view.consents, today).includes(scope),
  );
}

/** Writes the grant of `scope`: its room key `secret`, wrapped for each of `holders`. */
export async function grantScope(
  doc: Y.Doc,
  scope: ScopeId,
  secret: RoomSecret,
  holders: readonly Participant[],
  signer?: Signer,
): Promise<ScopeGrant> {
  const keys: ScopeGrant['keys'] = {};
  for (const p of holders) {
    if (!p.agreeKey || !p.fingerprint) continue;
    keys[p.fingerprint] = await wrapSecret(p.agreeKey, fromBase64Url(secret.key), grantContext(scope, secret.roomId, p.fingerprint));
  }
  let grant: ScopeGrant = { v: 1, scope, roomId: secret.roomId, at: Date.now(), keys };
  if (signer) grant = await sign(grant, signer);
  writeGrant(doc, grant);
  return grant;
}

export interface GrantPlan {
  /** Someone entitled is not in the current grant: hand out the current key. */
  grant: ScopeId[];
  /** Someone in the current grant is no longer entitled (removed, consent lost): new key. */
  rotate: ScopeId[];
}

/**
 * What the host has to do for the further scopes it holds (`held`: scope → current secret),
 * comparing who is entitled today with whom the current grants list. A scope without a grant
 * yet, whose holders all got their key in the lobby, gets one too, so the list is complete.
 */
export function planGrants(doc: Y.Doc, view: CaseView, held: Record<string, RoomSecret>, today: IsoDate, self?: string): GrantPlan {
  const grants = readGrants(doc);
  const plan: GrantPlan = { grant: [], rotate: [] };
  for (const [scope, secret] of Object.entries(held) as [ScopeId, RoomSecret][]) {
    const entitled = new Set(entitledDevices(view, scope, today).map((p) => p.fingerprint!));
    if (self) entitled.add(self);
    const grant = grants.get(scope);
    const listed = grant && grant.roomId === secret.roomId ? Object.keys(grant.keys) : [];
    if (listed.some((fp) => !entitled.has(fp))) plan.rotate.push(scope);
    else if ([...entitled].some((fp) => fp !== self && !listed.includes(fp))) plan.grant.push(scope);
  }
  return plan;
}

/**
 * Grants for this device that differ from what it holds (`held`: scope → secret): the keys it
 * should move to (a rotation) or open (a newly released topic).
 */
export async function followGrants(
  doc: Y.Doc,
  identity: DeviceIdentity,
  fingerprint: string,
  held: Record<string, RoomSecret>,
  trust: (grant: ScopeGrant) => Promise<boolean> = async () => true,
): Promise<[ScopeId, RoomSecret][]> {
  const out: [ScopeId, RoomSecret][] = [];
  for (const [scope, grant] of readGrants(doc)) {
    const wrapped = grant.keys[fingerprint];
    if (!wrapped || held[scope]?.roomId === grant.roomId || !(await trust(grant))) continue;
    try {
      const key = await unwrapSecret(identity, wrapped, grantContext(scope, grant.roomId, fingerprint));
      out.push([scope, RoomSecret.parse({ roomId: grant.roomId, key: toBase64Url(key) })]);
    } catch {
      // Not unwrappable for this device: it grants nothing.
    }
  }
  return out;
}

/**
 * Scopes this device holds but the current grant no longer lists it for (a consent lost the
 * topic, or it was removed): it must not bring its copy of them into any room again.
 */
export function lostScopes(doc: Y.Doc, fingerprint: string, held: Record<string, RoomSecret>): ScopeId[] {
  const grants = readGrants(doc);
  return (Object.keys(held) as ScopeId[]).filter((scope) => {
    const grant = grants.get(scope);
    return grant !== undefined && grant.roomId !== held[scope]!.roomId && !grant.keys[fingerprint];
  });
}

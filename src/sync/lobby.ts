import * as Y from 'yjs';
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { PublicKeysSchema, fingerprint, type DeviceIdentity, type PublicKeys } from '../crypto/identity.ts';
import { RoomSecret } from '../crypto/roomSecret.ts';
import { WrappedSecret, unwrapSecret, wrapSecret } from '../crypto/wrap.ts';
import { Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import { Role } from '../domain/roles.ts';

/**
 * The lobby: a small Y.Doc shared in a room of its own per invite. Whoever opens the invite
 * link writes a knock with their device's public keys; the host answers with the case room
 * key wrapped for exactly that device, or with a refusal. A forwarded link therefore gets its
 * holder into the lobby, never to the case: only the host can let someone in.
 */
export const Knock = z.object({
  v: z.literal(1),
  name: z.string().trim().min(1).max(200),
  role: Role,
  organisation: z.string().max(200),
  keys: PublicKeysSchema,
  at: Timestamp,
});
export type Knock = z.infer<typeof Knock>;

/** A further scope's name in an answer: `confidential` or `topic:<topic>`. */
const ScopeName = z.string().regex(/^(confidential|topic:[a-z]{1,40})$/);

export const Answer = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('admitted'),
    caseId: EntityId,
    participantId: EntityId,
    roomId: RoomSecret.shape.roomId,
    wrappedKey: WrappedSecret,
    /**
     * The further scopes the admitted person may read (docs/case-schema.md, "Scopes"): each
     * scope's room key, wrapped for this device alone. Absent from older hosts: shared only.
     */
    scopes: z.record(ScopeName, z.object({ roomId: RoomSecret.shape.roomId, wrappedKey: WrappedSecret })).default({}),
    at: Timestamp,
  }),
  z.object({ v: z.literal(1), kind: z.literal('refused'), at: Timestamp }),
]);
export type Answer = z.infer<typeof Answer>;

export interface PendingKnock extends Knock {
  fingerprint: string;
  answer: Answer['kind'] | null;
  /** The knocker confirmed it received the answer: the host may close the lobby. */
  received: boolean;
}

const knocksOf = (doc: Y.Doc) => doc.getMap<unknown>('knocks');
const answersOf = (doc: Y.Doc) => doc.getMap<unknown>('answers');
const receiptsOf = (doc: Y.Doc) => doc.getMap<unknown>('receipts');

/** Binds a wrapped key to this lobby and this device, so it cannot be replayed elsewhere. */
function wrapContext(lobbyRoomId: string, deviceFingerprint: string): string {
  return `runder-tisch/admission/v1/${lobbyRoomId}/${deviceFingerprint}`;
}

/** The same for one scope's key: a key cannot be passed off as another scope's. */
function scopeWrapContext(lobbyRoomId: string, deviceFingerprint: string, scope: string): string {
  return `${wrapContext(lobbyRoomId, deviceFingerprint)}/scope/${scope}`;
}

/**
 * Knocks that validate and whose key is the fingerprint of the keys they carry (nobody can
 * knock in another device's name), with the answer each got so far.
 */
export async function readKnocks(doc: Y.Doc): Promise<PendingKnock[]> {
  const out: PendingKnock[] = [];
  for (const [key, value] of knocksOf(doc).entries()) {
    const knock = Knock.safeParse(value);
    if (!knock.success) continue;
    if ((await fingerprint(knock.data.keys)) !== key) continue;
    const answer = Answer.safeParse(answersOf(doc).get(key));
    const received = typeof receiptsOf(doc).get(key) === 'number';
    out.push({ ...knock.data, fingerprint: key, answer: answer.success ? answer.data.kind : null, received });
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface Admission {
  caseId: string;
  participantId: string;
  secret: RoomSecret;
  /** Further scopes this device was given (scope → room secret). */
  scopes: Record<string, RoomSecret>;
}

export class RefusedError extends Error {
  constructor() {
    super('refused');
    this.name = 'RefusedError';
  }
}

/** Knocker side: writes the knock, then waits for the host's answer to this device. */
export async function knockAndWait(
  doc: Y.Doc,
  lobbyRoomId: string,
  identity: DeviceIdentity,
  me: { name: string; role: Role; organisation: string },
  signal: AbortSignal,
): Promise<Admission> {
  const own = await fingerprint(identity.publicKeys);
  const knock: Knock = Knock.parse({ v: 1, ...me, keys: identity.publicKeys, at: Date.now() });
  doc.transact(() => knocksOf(doc).set(own, knock));
  const answer = await new Promise<Answer>((resolve, reject) => {
    // Whichever comes first, the answer or the abort, ends the wait and removes both listeners:
    // the caller aborts after admission too, to end everything else it started.
    const stop = () => {
      answersOf(doc).unobserve(check);
      signal.removeEventListener('abort', onAbort);
    };
    const check = () => {
      const parsed = Answer.safeParse(answersOf(doc).get(own));
      if (!parsed.success) return;
      stop();
      resolve(parsed.data);
    };
    const onAbort = () => {
      stop();
      reject(signal.reason);
    };
    answersOf(doc).observe(check);
    signal.addEventListener('abort', onAbort);
    check();
  });
  if (answer.kind === 'refused') throw new RefusedError();
  const key = await unwrapSecret(identity, answer.wrappedKey, wrapContext(lobbyRoomId, own));
  const secret = RoomSecret.parse({ roomId: answer.roomId, key: toBase64Url(key) });
  const scopes: Record<string, RoomSecret> = {};
  for (const [scope, wrapped] of Object.entries(answer.scopes)) {
    const scopeKey = await unwrapSecret(identity, wrapped.wrappedKey, scopeWrapContext(lobbyRoomId, own, scope));
    scopes[scope] = RoomSecret.parse({ roomId: wrapped.roomId, key: toBase64Url(scopeKey) });
  }
  doc.transact(() => receiptsOf(doc).set(own, Date.now()));
  return { caseId: answer.caseId, participantId: answer.participantId, secret, scopes };
}

/** Host side: lets the device behind `knock` in, handing it the case room key for it alone. */
export async function admit(
  doc: Y.Doc,
  lobbyRoomId: string,
  knock: { fingerprint: string; keys: PublicKeys },
  grant: { caseId: string; participantId: string; secret: RoomSecret; scopes?: Record<string, RoomSecret> },
): Promise<void> {
  const wrappedKey = await wrapSecret(
    knock.keys.agree,
    fromBase64Url(grant.secret.key),
    wrapContext(lobbyRoomId, knock.fingerprint),
  );
  const scopes: Record<string, { roomId: string; wrappedKey: WrappedSecret }> = {};
  for (const [scope, secret] of Object.entries(grant.scopes ?? {})) {
    const wrapped = await wrapSecret(knock.keys.agree, fromBase64Url(secret.key), scopeWrapContext(lobbyRoomId, knock.fingerprint, scope));
    scopes[scope] = { roomId: secret.roomId, wrappedKey: wrapped };
  }
  const answer: Answer = Answer.parse({
    v: 1,
    kind: 'admitted',
    caseId: grant.caseId,
    participantId: grant.participantId,
    roomId: grant.secret.roomId,
    wrappedKey,
    scopes,
    at: Date.now(),
  });
  doc.transact(() => answersOf(doc).set(knock.fingerprint, answer));
}

export function refuse(doc: Y.Doc, knockFingerprint: string): void {
  const answer: Answer = { v: 1, kind: 'refused', at: Date.now() };
  doc.transact(() => answersOf(doc).set(knockFingerprint, answer));
}

import type { CaseDocument } from '../case/caseDocument.ts';
import {
  observeVersions,
  rawVersionEntry,
  planContent,
  readVersions,
  writeFrozen,
  writeProposal,
  writeRawVersionEntry,
  writeResponse,
  type VersionsState,
} from '../case/versions.ts';
import { utf8 } from '../crypto/bytes.ts';
import { canonicalJson, sha256Base64Url } from '../crypto/canonical.ts';
import { signBytes, verifyBytes, type DeviceIdentity } from '../crypto/identity.ts';
import type { Participant } from '../domain/participants.ts';
import { appDb } from '../storage/db.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import {
  freezingSignatures,
  requiredResponders,
  signedStatement,
  type FrozenVersion,
  type PlanContent,
  type Proposal,
  type ResponseKind,
  type VersionResponse,
} from '../domain/versions.ts';

/**
 * Agreement use cases: the host proposes the plan as a version, each participant answers,
 * acceptances are signed with the device key, and a version everyone required accepted is
 * frozen. Anyone can verify a version against the participants' keys (pinned on this device,
 * else registered on admission).
 */

/** This device's identity, whose signing key signs acceptances. */
export function deviceIdentity(): Promise<DeviceIdentity> {
  return loadOrCreateDeviceIdentity(appDb());
}

/** Follows the agreement state (store contract: called at once, then after every change of versions). */
export function watchAgreement(caseDoc: CaseDocument, listener: (state: AgreementState) => void): () => void {
  listener(readAgreement(caseDoc));
  return observeVersions(caseDoc.doc, () => listener(readAgreement(caseDoc)));
}

/** Same content, compared canonically (key order and undefined members do not matter). */
export function sameContent(a: PlanContent, b: PlanContent): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export async function contentHash(content: PlanContent): Promise<string> {
  return sha256Base64Url(utf8(canonicalJson(content)));
}

export function statementBytes(caseId: string, number: number, participantId: string, hash: string, kind: ResponseKind = 'accept', reason = ''): Uint8Array {
  return utf8(canonicalJson(signedStatement(caseId, number, participantId, hash, kind, reason)));
}

/**
 * The key an answer of `participantId` must be signed with: the one this device pinned when it
 * first learnt it (src/storage/pinnedKeys.ts), else the one registered in the document on
 * admission. A pin outranks the document: a peer with the room key can rewrite the latter.
 */
export function trustedKey(participantId: string, participants: readonly Participant[], pins?: ReadonlyMap<string, string>): string | undefined {
  return pins?.get(participantId) ?? participants.find((p) => p.id === participantId)?.signKey;
}

/**
 * True when the document names a different key for the participant than this device pinned,
 * or the answer was signed with a different one: "Schlüssel geändert".
 */
export function keyChanged(participantId: string, signKey: string | undefined, participants: readonly Participant[], pins?: ReadonlyMap<string, string>): boolean {
  const pinned = pins?.get(participantId);
  if (pinned === undefined) return false;
  const registered = participants.find((p) => p.id === participantId)?.signKey;
  return (registered !== undefined && registered !== pinned) || (signKey !== undefined && signKey !== pinned);
}

/** An answer is valid when signed with the participant's trusted key (pinned, else registered on admission). */
export async function verifyResponse(caseId: string, response: VersionResponse, participants: readonly Participant[], pins?: ReadonlyMap<string, string>): Promise<boolean> {
  const trusted = trustedKey(response.participantId, participants, pins);
  if (trusted === undefined || trusted !== response.signKey) return false;
  const reason = response.kind === 'accept' ? '' : response.reason;
  const bytes = statementBytes(caseId, response.number, response.participantId, response.hash, response.kind, reason);
  return verifyBytes(trusted, bytes, response.signature);
}

export interface AgreementState extends VersionsState {
  /** The open proposal (its number is after the last frozen version), if any. */
  pending: Proposal | null;
  /** The number the next proposal gets. */
  nextNumber: number;
}

export function readAgreement(caseDoc: CaseDocument): AgreementState {
  const state = readVersions(caseDoc.doc);
  const last = Math.max(state.frozen.at(-1)?.number ?? 0, state.damaged.at(-1) ?? 0);
  const pending = state.proposals.filter((p) => p.number > last).at(-1) ?? null;
  return { ...state, pending, nextNumber: pending ? pending.number : last + 1 };
}

/**
 * The host proposes the current plan (what everyone at the table may see) as the next
 * version. `reasons` explain moved or missed due dates. A new proposal for the same number
 * replaces the open one; answers given to the old content no longer count (they name its hash).
 */
export async function proposeVersion(caseDoc: CaseDocument, proposedBy: string, reasons: Record<string, string> = {}): Promise<Proposal> {
  const content = planContent(caseDoc.doc, caseDoc.view(), reasons);
  const state = readAgreement(caseDoc);
  const proposal: Proposal = { number: state.nextNumber, proposedAt: Date.now(), proposedBy, hash: await contentHash(content), content };
  writeProposal(caseDoc.doc, proposal);
  return proposal;
}

/** The plan as it would be proposed now (for the reasons form and the preview diff). */
export function currentContent(caseDoc: CaseDocument, reasons: Record<string, string> = {}): PlanContent {
  return planContent(caseDoc.doc, caseDoc.view(), reasons);
}

/**
 * One participant answers the open proposal. Accepting signs the content hash with this
 * device's key, after checking that the content really has that hash (a peer could have
 * swapped the content under a hash the others already accepted).
 */
export async function respond(
  caseDoc: CaseDocument,
  identity: DeviceIdentity,
  participantId: string,
  proposal: Proposal,
  kind: ResponseKind,
  reason = '',
): Promise<void> {
  if ((await contentHash(proposal.content)) !== proposal.hash) throw new Error('content does not match its hash');
  const text = kind === 'accept' ? '' : reason.trim();
  const { caseId } = proposal.content;
  const signature = await signBytes(identity, statementBytes(caseId, proposal.number, participantId, proposal.hash, kind, text));
  const base = { number: proposal.number, participantId, hash: proposal.hash, at: Date.now(), signKey: identity.publicKeys.sign, signature };
  writeResponse(caseDoc.doc, kind === 'accept' ? { ...base, kind } : { ...base, kind, reason: text });
  await freezeIfAgreed(caseDoc);
}

/**
 * Freezes the open proposal once every required participant accepted and every signature
 * verifies. Any device may do it (the same content from two devices merges to one value).
 */
export async function freezeIfAgreed(caseDoc: CaseDocument): Promise<FrozenVersion | null> {
  const state = readAgreement(caseDoc);
  const proposal = state.pending;
  if (!proposal) return null;
  const signatures = freezingSignatures(proposal, state.responses);
  if (!signatures) return null;
  const frozen: FrozenVersion = { ...proposal, frozenAt: Date.now(), signatures };
  const check = await verifyVersion(frozen, caseDoc.view().participants);
  if (!check.ok) return null;
  writeFrozen(caseDoc.doc, frozen);
  return frozen;
}

export interface SignatureCheck {
  participantId: string;
  ok: boolean;
  /** The signer's key differs from the one this device pinned (in the document or in the signature). */
  keyChanged: boolean;
}

export interface VersionCheck {
  /** The content still hashes to the hash that was signed. */
  contentOk: boolean;
  signatures: SignatureCheck[];
  /** Every required participant signed, validly, with their trusted key. */
  complete: boolean;
  /** Signers whose key in the document or signature differs from the pinned one. */
  keyChanged: string[];
  ok: boolean;
}

/**
 * Verifies a version: its content hashes to its hash, each signature is valid for that hash
 * under the signer's trusted key (pinned on this device, else the participant entry made on
 * admission), and everyone required signed. A signer whose key changed against the pin is
 * listed in `keyChanged`; a signature made with a changed key fails.
 */
export async function verifyVersion(
  version: Proposal & { signatures: FrozenVersion['signatures'] },
  participants: readonly Participant[],
  pins?: ReadonlyMap<string, string>,
): Promise<VersionCheck> {
  let contentOk = false;
  try {
    contentOk = (await contentHash(version.content)) === version.hash;
  } catch {
    contentOk = false;
  }
  const signatures: SignatureCheck[] = [];
  for (const sig of version.signatures) {
    const ok = sig.hash === version.hash && sig.number === version.number && (await verifyResponse(version.content.caseId, sig, participants, pins));
    signatures.push({ participantId: sig.participantId, ok, keyChanged: keyChanged(sig.participantId, sig.signKey, participants, pins) });
  }
  const valid = new Set(signatures.filter((s) => s.ok).map((s) => s.participantId));
  const complete = requiredResponders(version.content).every((id) => valid.has(id));
  const changed = signatures.filter((s) => s.keyChanged).map((s) => s.participantId);
  return { contentOk, signatures, complete, keyChanged: changed, ok: contentOk && complete && signatures.every((s) => s.ok) };
}

/**
 * A debug handle for the end-to-end tests, installed only when this browser's localStorage
 * has `runder-tisch.debug` = `1`: it reads and writes raw entries of the `versions` map, as a
 * hostile peer holding the room key could.
 */
export function installDebugHook(caseDoc: CaseDocument): () => void {
  let enabled = false;
  try {
    enabled = globalThis.localStorage?.getItem('runder-tisch.debug') === '1';
  } catch {
    enabled = false;
  }
  if (!enabled) return () => undefined;
  const hook = {
    read: (key: string) => rawVersionEntry(caseDoc.doc, key),
    write: (key: string, value: unknown) => writeRawVersionEntry(caseDoc.doc, key, value),
  };
  (globalThis as { __runderTischVersions?: unknown }).__runderTischVersions = hook;
  return () => {
    const g = globalThis as { __runderTischVersions?: unknown };
    if (g.__runderTischVersions === hook) delete g.__runderTischVersions;
  };
}

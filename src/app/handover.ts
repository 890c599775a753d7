import type * as Y from 'yjs';
import type { CaseDocument } from '../case/caseDocument.ts';
import { addItem, readHandover, writeProtocol, writeStart, writeTeam, type HandoverState } from '../case/handover.ts';
import { utf8 } from '../crypto/bytes.ts';
import { canonicalJson, sha256Base64Url } from '../crypto/canonical.ts';
import { signBytes, verifyBytes, type DeviceIdentity } from '../crypto/identity.ts';
import type { HandoverNote, HandoverOffer, HandoverReceipt, HandoverStage, HandoverTransfer } from '../domain/handover.ts';
import type { Participant } from '../domain/participants.ts';
import { trustedKey } from './agreement.ts';
import { checkCopy, manifestOf, type CopyCheck } from './handoverProof.ts';

/**
 * The warm handover's protocol (issue 7, steps 1–5). Each step is one signed entry in the
 * `handover` map, written by one device:
 *   offer    outgoing: the case as this device holds it (manifest per document, handoverProof.ts)
 *   receipt  incoming: her copy equals the offer, signed with her device key
 *   transfer outgoing: the case responsibility passes to her (she becomes the host)
 *   ack      incoming: she took it over
 *   release  outgoing: gives the case up; then her device deletes its copy
 * Every device checks every entry against the signer's key (pinned on this device, else the
 * one registered on admission) and against the entry before it (by hash).
 */

/** This device acting in the handover. */
export interface HandoverActor {
  caseDoc: CaseDocument;
  identity: DeviceIdentity;
  fingerprint: string;
  participantId: string;
}

type Signed = { by: string; sig: string };

function signedBytes(entry: object): Uint8Array {
  const { sig: _sig, ...rest } = entry as { sig?: string };
  return utf8(canonicalJson(rest));
}

async function signEntry<T extends Signed>(unsigned: Omit<T, 'by' | 'sig'>, actor: HandoverActor): Promise<T> {
  const withBy = { ...unsigned, by: actor.fingerprint };
  return { ...withBy, sig: await signBytes(actor.identity, signedBytes(withBy)) } as T;
}

/** SHA-256 of an entry as canonical JSON (signature included): what the next entry names. */
export function entryHash(entry: object): Promise<string> {
  return sha256Base64Url(utf8(canonicalJson(entry)));
}

/** The participant who signed `entry`, if their trusted key verifies it. */
async function signer(entry: Signed, participants: readonly Participant[], pins?: ReadonlyMap<string, string>): Promise<Participant | null> {
  const who = participants.find((p) => p.fingerprint === entry.by);
  const key = who ? trustedKey(who.id, participants, pins) : undefined;
  if (!who || !key) return null;
  try {
    return (await verifyBytes(key, signedBytes(entry), entry.sig)) ? who : null;
  } catch {
    return null;
  }
}

/** Every document this device holds of the case, by scope. */
export function docsOf(caseDoc: CaseDocument): Map<string, Y.Doc> {
  const out = new Map<string, Y.Doc>();
  for (const scope of caseDoc.scopes()) {
    const doc = caseDoc.scopeDoc(scope);
    if (doc) out.set(scope, doc);
  }
  return out;
}

export interface HandoverStatus {
  state: HandoverState;
  stage: HandoverStage;
  /** The outgoing and the incoming case manager, as the offer names them. */
  outgoing: Participant | null;
  incoming: Participant | null;
  offerOk: boolean;
  receiptOk: boolean;
  transferOk: boolean;
  ackOk: boolean;
  releaseOk: boolean;
  /** Entries present but not valid (a forged or stale signature, a broken chain). */
  invalid: ('offer' | 'receipt' | 'transfer' | 'ack' | 'release')[];
}

/** Checks the whole chain of the handover as this device sees it. */
export async function handoverStatus(caseDoc: CaseDocument, pins?: ReadonlyMap<string, string>): Promise<HandoverStatus> {
  const state = readHandover(caseDoc.doc);
  const participants = caseDoc.view().participants;
  const { offer, receipt, transfer, ack, release } = state;
  const caseId = caseDoc.view().meta?.caseId;
  const invalid: HandoverStatus['invalid'] = [];
  const byId = (id: string | undefined) => participants.find((p) => p.id === id) ?? null;

  const offerSigner = offer ? await signer(offer, participants, pins) : null;
  const offerOk = !!offer && offer.caseId === caseId && offerSigner?.id === offer.from && offerSigner.role === 'fallmanager';
  if (offer && !offerOk) invalid.push('offer');
  const offerHash = offer ? await entryHash(offer) : '';

  const receiptSigner = offerOk && receipt ? await signer(receipt, participants, pins) : null;
  const receiptOk =
    offerOk &&
    !!receipt &&
    receipt.offerHash === offerHash &&
    receipt.participantId === offer!.to &&
    receiptSigner?.id === offer!.to &&
    trustedKey(offer!.to, participants, pins) === receipt.signKey;
  if (receipt && offerOk && !receiptOk && receipt.offerHash === offerHash) invalid.push('receipt');
  const receiptHash = receiptOk ? await entryHash(receipt!) : '';

  const transferSigner = receiptOk && transfer ? await signer(transfer, participants, pins) : null;
  const incoming = byId(offer?.to);
  const transferOk =
    receiptOk &&
    !!transfer &&
    transfer.receiptHash === receiptHash &&
    transfer.from === offer!.from &&
    transfer.to === offer!.to &&
    transferSigner?.id === offer!.from &&
    transfer.fromFingerprint === transferSigner.fingerprint &&
    transfer.toFingerprint === incoming?.fingerprint;
  if (transfer && !transferOk) invalid.push('transfer');
  const transferHash = transferOk ? await entryHash(transfer!) : '';

  const noteOk = async (note: HandoverNote | null, fingerprint: string | undefined) =>
    transferOk && !!note && note.transferHash === transferHash && note.by === fingerprint && (await signer(note, participants, pins)) !== null;
  const ackOk = await noteOk(ack, transfer?.toFingerprint);
  if (ack && !ackOk) invalid.push('ack');
  const releaseOk = ackOk && (await noteOk(release, transfer?.fromFingerprint));
  if (release && !releaseOk) invalid.push('release');

  const stage: HandoverStage = releaseOk
    ? 'released'
    : ackOk
      ? 'acknowledged'
      : transferOk
        ? 'transferred'
        : receiptOk
          ? 'received'
          : offerOk
            ? 'offered'
            : state.start
              ? 'record'
              : 'none';
  return { state, stage, outgoing: byId(offer?.from ?? state.start?.participantId), incoming, offerOk, receiptOk, transferOk, ackOk, releaseOk, invalid };
}

// --- steps -------------------------------------------------------------------

/**
 * Step 1: the outgoing case manager starts the handover. Partner services marked as ending at
 * 25 are listed under „Was mit 25 endet“ straight away, for the table to say what replaces them.
 */
export function startHandover(actor: HandoverActor): void {
  const doc = actor.caseDoc.doc;
  if (readHandover(doc).start) return;
  actor.caseDoc.transact(() => {
    writeStart(doc, { v: 1, at: Date.now(), participantId: actor.participantId, fingerprint: actor.fingerprint });
    for (const partner of actor.caseDoc.view().partners) {
      if (partner.endsAt25 && partner.organisation.trim()) addItem(doc, 'ends', partner.organisation.trim());
    }
  });
}

/** Step 3, outgoing: offers the case as this device holds it to the incoming case manager. */
export async function offerCase(actor: HandoverActor, to: string): Promise<HandoverOffer> {
  const view = actor.caseDoc.view();
  const caseId = view.meta?.caseId;
  if (!caseId) throw new Error('case has no metadata yet');
  const incoming = view.participants.find((p) => p.id === to);
  if (!incoming || incoming.removedAt || !incoming.fingerprint || incoming.role !== 'nachfolge') {
    throw new Error('the case is offered to an incoming case manager at the table');
  }
  const docs = [];
  for (const [scope, doc] of docsOf(actor.caseDoc)) docs.push(await manifestOf(scope, doc));
  const offer = await signEntry<HandoverOffer>({ v: 1, caseId, at: Date.now(), from: actor.participantId, to, docs }, actor);
  writeProtocol(actor.caseDoc.doc, 'offer', offer);
  return offer;
}

/** Step 3, incoming: whether this copy equals the offered one. */
export function checkReceivedCopy(caseDoc: CaseDocument, offer: HandoverOffer): Promise<CopyCheck> {
  return checkCopy(offer, docsOf(caseDoc));
}

/** Step 3, incoming: checks the copy once more, then signs the receipt. */
export async function confirmReceipt(actor: HandoverActor, pins?: ReadonlyMap<string, string>): Promise<HandoverReceipt> {
  const status = await handoverStatus(actor.caseDoc, pins);
  const offer = status.state.offer;
  if (!offer || !status.offerOk) throw new Error('no valid offer');
  if (offer.to !== actor.participantId) throw new Error('the offer is for someone else');
  const check = await checkReceivedCopy(actor.caseDoc, offer);
  if (!check.ok) throw new Error('copy differs from the offer');
  const receipt = await signEntry<HandoverReceipt>(
    { v: 1, caseId: offer.caseId, at: Date.now(), participantId: actor.participantId, offerHash: await entryHash(offer), signKey: actor.identity.publicKeys.sign },
    actor,
  );
  writeProtocol(actor.caseDoc.doc, 'receipt', receipt);
  return receipt;
}

/**
 * Step 4, outgoing: after a valid receipt, passes the case responsibility on. The incoming
 * person becomes `fallmanager` in the participant list, so every device trusts her keyring
 * entries and her device hosts the next conference; the case moves to the Ü25 team.
 */
export async function transferCase(actor: HandoverActor, pins?: ReadonlyMap<string, string>): Promise<HandoverTransfer> {
  const status = await handoverStatus(actor.caseDoc, pins);
  const { offer, receipt } = status.state;
  if (!status.receiptOk || !offer || !receipt || !status.incoming?.fingerprint) throw new Error('no valid receipt');
  if (offer.from !== actor.participantId) throw new Error('only the outgoing case manager hands over');
  const transfer = await signEntry<HandoverTransfer>(
    {
      v: 1,
      caseId: offer.caseId,
      at: Date.now(),
      from: actor.participantId,
      fromFingerprint: actor.fingerprint,
      to: offer.to,
      toFingerprint: status.incoming.fingerprint,
      receiptHash: await entryHash(receipt),
    },
    actor,
  );
  actor.caseDoc.transact(() => {
    writeProtocol(actor.caseDoc.doc, 'transfer', transfer);
    actor.caseDoc.update('participants', offer.to, { role: 'fallmanager' });
    writeTeam(actor.caseDoc.doc, 'Ü25');
  });
  return transfer;
}

async function writeNote(actor: HandoverActor, key: 'ack' | 'release', transfer: HandoverTransfer): Promise<void> {
  const note = await signEntry<HandoverNote>({ v: 1, caseId: transfer.caseId, at: Date.now(), transferHash: await entryHash(transfer) }, actor);
  writeProtocol(actor.caseDoc.doc, key, note);
}

/** Step 4, incoming: confirms that she took the case over. */
export function acknowledgeTransfer(actor: HandoverActor, transfer: HandoverTransfer): Promise<void> {
  return writeNote(actor, 'ack', transfer);
}

/** Step 5, outgoing: gives the case up (her device deletes its copy next). */
export function releaseCase(actor: HandoverActor, transfer: HandoverTransfer): Promise<void> {
  return writeNote(actor, 'release', transfer);
}

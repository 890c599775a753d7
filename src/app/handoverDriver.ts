import { fingerprint as fingerprintOf, type DeviceIdentity } from '../crypto/identity.ts';
import { handoverMap } from '../case/handover.ts';
import { caseReference, type HandoverOffer } from '../domain/handover.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import { recordHandedOverAndDelete } from '../storage/handedOver.ts';
import { loadPins } from '../storage/pinnedKeys.ts';
import type { CaseSession } from './caseSession.ts';
import {
  acknowledgeTransfer,
  checkReceivedCopy,
  confirmReceipt,
  docsOf,
  handoverStatus,
  offerCase,
  releaseCase,
  startHandover,
  transferCase,
  type HandoverActor,
  type HandoverStatus,
} from './handover.ts';
import type { CopyCheck } from './handoverProof.ts';

/**
 * Runs the handover on an open case: recomputes its status after every change of any of the
 * case's documents, and does what follows from it without a click:
 *   - outgoing: the case changed after the offer → offer again (a receipt names one offer);
 *     the transfer is written → stop hosting;
 *   - incoming: the copy is checked against the offer; a valid transfer names her → she hosts
 *     and acknowledges; the outgoing device released the case → she removes it from the table
 *     (a new room key, so the old key opens nothing any more).
 * The clicks (start, offer, confirm, transfer, give up) are the methods of the returned object.
 */

export interface HandoverView {
  status: HandoverStatus;
  /** The incoming device's check of its copy against the offer (null elsewhere). */
  copy: CopyCheck | null;
  /** This device's person: the one handing over, the one taking over, or someone else. */
  side: 'outgoing' | 'incoming' | 'other';
  /** This device's person is the case manager (may start and offer). */
  manager: boolean;
}

export interface HandoverDriver {
  subscribe(listener: (view: HandoverView) => void): () => void;
  start(): Promise<void>;
  offer(to: string): Promise<void>;
  confirm(): Promise<void>;
  transfer(): Promise<void>;
  /** Gives the case up: release, wait for the removal, close, delete, keep the line. */
  giveUp(): Promise<void>;
  stop(): void;
}

/** How long to wait for the new host to take this device off the table before deleting anyway. */
const REMOVAL_WAIT_MS = 20_000;
/** Changes are checked together once they pause this long (hashing a large case is not free). */
const SETTLE_MS = 150;

export function driveHandover(session: CaseSession, db: RunderTischDb): HandoverDriver {
  const listeners = new Set<(view: HandoverView) => void>();
  let current: HandoverView | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let busy = false;
  let me: { identity: DeviceIdentity; fingerprint: string } | null = null;
  const detach: (() => void)[] = [];

  const ready = loadOrCreateDeviceIdentity(db).then(async (identity) => {
    me = { identity, fingerprint: await fingerprintOf(identity.publicKeys) };
  });

  function actor(): HandoverActor {
    const participantId = session.participantId;
    if (!me || !participantId) throw new Error('not at the table yet');
    return { caseDoc: session.caseDoc, identity: me.identity, fingerprint: me.fingerprint, participantId };
  }

  async function pins(): Promise<Map<string, string>> {
    const loaded = await loadPins(db, session.record.id);
    return new Map([...loaded].map(([id, pin]) => [id, pin.signKey]));
  }

  // The last change's time, not a timer reset per change: in a conference every keystroke of
  // every person is a change, and a clearTimeout/setTimeout pair for each was measurable.
  let changedAt = 0;
  function schedule(): void {
    if (stopped) return;
    changedAt = Date.now();
    if (timer === undefined) timer = setTimeout(settle, SETTLE_MS);
  }

  function settle(): void {
    const quiet = Date.now() - changedAt;
    timer = quiet < SETTLE_MS ? setTimeout(settle, SETTLE_MS - quiet) : undefined;
    if (timer === undefined && !stopped) void run();
  }

  async function run(): Promise<void> {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        await step();
      } while (again && !stopped);
    } catch {
      // Tried again with the next change.
    } finally {
      running = false;
    }
  }

  /** One look at the handover: compute, tell the listeners, act. */
  async function step(): Promise<void> {
    await ready;
    if (stopped || !me) return;
    // Pins matter only for signed entries; a case without a handover costs no storage read.
    const signed = handoverMap(session.caseDoc.doc).has('offer');
    const status = await handoverStatus(session.caseDoc, signed ? await pins() : undefined);
    const meId = session.participantId;
    const { offer, transfer } = status.state;
    const side = meId && (offer?.from ?? status.state.start?.participantId) === meId ? 'outgoing' : meId && offer?.to === meId ? 'incoming' : 'other';
    const copy = side === 'incoming' && offer && status.offerOk && !status.receiptOk ? await checkReceivedCopy(session.caseDoc, offer) : null;
    current = { status, copy, side, manager: session.record.me?.role === 'fallmanager' };
    listeners.forEach((l) => l(current!));
    if (busy || stopped) return;
    busy = true;
    try {
      if (side === 'outgoing' && offer && status.offerOk && !transfer) await offerAgainIfChanged(offer);
      if (side === 'outgoing' && status.transferOk && transfer!.fromFingerprint === me.fingerprint && session.hosting) await session.stopHosting();
      if (side === 'incoming' && status.transferOk && transfer!.toFingerprint === me.fingerprint) {
        if (session.record.me?.role !== 'fallmanager') await session.assumeHost();
        if (!status.state.ack) await acknowledgeTransfer(actor(), transfer!);
        const outgoing = session.caseDoc.view().participants.find((p) => p.id === transfer!.from);
        if (status.releaseOk && outgoing && !outgoing.removedAt && session.hosting) await session.removeParticipant(outgoing.id);
      }
    } finally {
      busy = false;
    }
  }

  async function offerAgainIfChanged(offer: HandoverOffer): Promise<void> {
    const mine = await checkReceivedCopy(session.caseDoc, offer);
    const heldScopes = [...docsOf(session.caseDoc).keys()];
    const sameScopes = heldScopes.length === offer.docs.length && heldScopes.every((s) => offer.docs.some((d) => d.scope === s));
    if (!mine.ok || !sameScopes) await offerCase(actor(), offer.to);
  }

  function watchDocs(): void {
    detach.splice(0).forEach((d) => d());
    for (const doc of docsOf(session.caseDoc).values()) {
      doc.on('update', schedule);
      detach.push(() => doc.off('update', schedule));
    }
  }
  const stopScopes = session.caseDoc.onScopes(() => {
    watchDocs();
    schedule();
  });
  const stopRoom = session.onRoomChange(() => schedule());
  schedule();

  /** Waits until this device was taken off the table (or the time is up). */
  function removedFromTable(): Promise<void> {
    if (session.removed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(limit);
        off();
        resolve();
      };
      const limit = setTimeout(done, REMOVAL_WAIT_MS);
      const off = session.onRoomChange(() => {
        if (session.removed) done();
      });
    });
  }

  async function act(fn: (status: HandoverStatus) => Promise<void>): Promise<void> {
    await ready;
    await fn(await handoverStatus(session.caseDoc, await pins()));
    schedule();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (current) listener(current);
      return () => listeners.delete(listener);
    },
    start: () => act(async () => startHandover(actor())),
    offer: (to) => act(async () => void (await offerCase(actor(), to))),
    confirm: () => act(async () => void (await confirmReceipt(actor(), await pins()))),
    transfer: () => act(async () => void (await transferCase(actor(), await pins()))),
    giveUp: () =>
      act(async (status) => {
        const transfer = status.state.transfer;
        if (!status.ackOk || !transfer || transfer.fromFingerprint !== me?.fingerprint) throw new Error('the case was not taken over yet');
        const caseId = session.record.id;
        const line = {
          v: 1 as const,
          reference: caseReference(caseId),
          toName: status.incoming?.name ?? '',
          toTeam: 'Ü25' as const,
          at: transfer.at,
        };
        busy = true;
        await releaseCase(actor(), transfer);
        // The new host takes this device off the table once the release reached her: proof it arrived.
        await removedFromTable();
        stopped = true;
        await session.close();
        await recordHandedOverAndDelete(db, caseId, line);
      }),
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopScopes();
      stopRoom();
      detach.splice(0).forEach((d) => d());
      listeners.clear();
    },
  };
}

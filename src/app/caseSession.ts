import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { fingerprint, type DeviceIdentity } from '../crypto/identity.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { readKeyring, type KeyringEntry } from '../case/keyring.ts';
import { rootMap } from '../case/layout.ts';
import { rotationContext } from '../case/keyring.ts';
import { unwrapSecret } from '../crypto/wrap.ts';
import { toBase64Url } from '../crypto/encoding.ts';
import { RoomSecret as RoomSecretSchema } from '../crypto/roomSecret.ts';
import { RekeyBeacon } from '../sync/rekeyBeacon.ts';
import type { CaseView } from '../case/read.ts';
import { mayAdmitPartner } from '../domain/consent.ts';
import { isoDay } from '../domain/dates.ts';
import { newRoomSecret } from '../crypto/roomSecret.ts';
import { newId } from '../domain/ids.ts';
import type { Role } from '../domain/roles.ts';
import { getCase, updateCase } from '../storage/caseIndex.ts';
import { Invite, scopeDocKey, sharedDocKey, type CaseRecord } from '../storage/caseRecord.ts';
import type { ScopeId } from '../domain/visibility.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence, type SaveState } from '../storage/docPersistence.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';
import { takeOver } from './handoff.ts';
import { ensureParticipant } from './participants.ts';
import { AdmissionDesk, type LobbyEntry } from './admissionDesk.ts';
import {
  HOST_ROLES,
  adoptFromBeacon,
  awaitAcknowledgements,
  followRotation,
  mirrorToBeacon,
  pendingRotation,
  rotate,
  signedByHost,
  type Signer,
} from './rotation.ts';
import { handoverStatus } from './handover.ts';
import { entitledDevices, followGrants, grantScope, lostScopes, planGrants } from './scopeKeys.ts';

/**
 * How long a host keeps a beacon in a room the case left (rekeyBeacon.ts), while this case is
 * open: a device offline for longer needs a new invite.
 */
const BEACON_MS = 7 * 24 * 3_600_000;
/** At most this many old rooms get a beacon: the newest ones. */
const MAX_BEACONS = 3;
/**
 * How long a returning device looks into its room with the keyring only before it brings the
 * case document there. Waiting longer protects nothing: a device that finds nobody joins a
 * room nobody else is in, and a later prober meets it there like anyone else.
 */
const PROBE_MS = 4000;
/** What a beacon holds and takes in from peers: the keyring and the scope grants, never the case. */
const BEACON_ROOTS = ['keyring', 'scopeGrants'] as const;
/** A beacon that received case content anyway starts over empty, after this pause. */
const BEACON_RESTART_MS = 30_000;

/** The latest close of each case in this tab: a tab handing a case over waits for it (tabClaim.ts). */
const closingCases = new Map<string, Promise<void>>();

/** Resolves once the case, if it was open in this tab, is closed and everything is written. */
export function whenCaseClosed(caseId: string): Promise<void> {
  return (closingCases.get(caseId) ?? Promise.resolve()).catch(() => undefined);
}

export interface NewInvite {
  name: string;
  role: Role;
  organisation?: string;
  partnerId?: string;
  validHours: number;
}

/**
 * An open case on this device: its document, its storage and, once a conference exists,
 * its room. This is the only place where storage and sync meet a case.
 */
export class CaseSession {
  readonly caseDoc: CaseDocument;
  readonly persistence: DocPersistence;
  #db: RunderTischDb;
  #record: CaseRecord;
  #room: ConferenceRoom | null = null;
  /** Documents, storage and (while connected) rooms of the further scopes this device holds. */
  #scopes = new Map<ScopeId, { doc: Y.Doc; persistence: DocPersistence; room: ConferenceRoom | null }>();
  #me: Me | null = null;
  #desk: AdmissionDesk | null = null;
  #stopIndexing: () => void;
  #identity: DeviceIdentity | null = null;
  #fingerprint: string | null = null;
  /** This device is rotating the key itself, or already following a rotation. */
  #rotating = false;
  #following = false;
  /** This device is writing scope grants, or following one. */
  #granting = false;
  #followingGrants = false;
  #roomListeners = new Set<(room: ConferenceRoom | null) => void>();
  /** Old rooms this host keeps a keyring-only beacon in, by room id. */
  #beacons = new Map<string, { beacon: RekeyBeacon; stop: () => void }>();
  /** Old room secrets this device left during this session (epoch 0's is in no keyring). */
  #leftRooms = new Map<string, { secret: RoomSecret; at: number }>();
  /** Scopes the latest grants no longer give this device: their rooms are not joined. */
  #lost = new Set<ScopeId>();
  #connecting: Promise<ConferenceRoom> | null = null;
  #connectingListeners = new Set<(connecting: boolean) => void>();
  #closed = false;
  #inviteListeners = new Set<(invites: Invite[]) => void>();

  private constructor(
    db: RunderTischDb,
    record: CaseRecord,
    doc: Y.Doc,
    persistence: DocPersistence,
    scopes: readonly (readonly [ScopeId, Y.Doc, DocPersistence])[],
  ) {
    this.#db = db;
    this.#record = record;
    for (const [scope, scopeDoc, scopePersistence] of scopes) {
      this.#scopes.set(scope, { doc: scopeDoc, persistence: scopePersistence, room: null });
    }
    this.caseDoc = new CaseDocument(doc, scopes.map(([scope, scopeDoc]) => [scope, scopeDoc] as const));
    this.persistence = persistence;
    this.#stopIndexing = this.caseDoc.subscribe((view) => {
      if (view.meta && view.meta.displayName !== this.#record.displayName) void this.#touch();
      this.#enforceConsent(view);
      this.#syncGrants(view);
    });
    doc.on('update', this.#checkRotation);
    doc.on('update', this.#checkGrants);
    // Captures, so it runs before the rooms' own 'online' handlers (see #onOnline).
    globalThis.addEventListener?.('online', this.#onOnline, { capture: true });
  }

  static async open(db: RunderTischDb, caseId: string): Promise<CaseSession | null> {
    const record = await getCase(db, caseId);
    if (!record) return null;
    // Loaded side by side: one IndexedDB read after another per held scope delayed the page.
    const scopes = await Promise.all(
      (Object.keys(record.scopes) as ScopeId[]).map(async (scope): Promise<[ScopeId, Y.Doc, DocPersistence]> => {
        const scopeDoc = new Y.Doc();
        return [scope, scopeDoc, await DocPersistence.open(db, scopeDocKey(caseId, scope), scopeDoc)];
      }),
    );
    const live = takeOver(caseId);
    if (live) {
      const session = new CaseSession(db, record, live.doc, live.persistence, scopes);
      session.#room = live.room;
      return session;
    }
    const doc = new Y.Doc();
    const persistence = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    return new CaseSession(db, record, doc, persistence, scopes);
  }

  /**
   * Starts holding a further scope (its key was just received): stores the key, opens the
   * scope's document and storage, and joins its room while the conference runs.
   */
  async openScope(scope: ScopeId, secret: RoomSecret): Promise<void> {
    if (scope === 'shared') return;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, scopes: { ...r.scopes, [scope]: secret } }));
    if (record) this.#record = record;
    let held = this.#scopes.get(scope);
    if (!held) {
      const doc = new Y.Doc();
      const persistence = await DocPersistence.open(this.#db, scopeDocKey(this.#record.id, scope), doc);
      held = { doc, persistence, room: null };
      this.#scopes.set(scope, held);
      this.caseDoc.addScope(scope, doc);
    } else if (held.room && held.room.roomId !== secret.roomId) {
      const old = held.room;
      held.room = null;
      await old.leave();
    }
    if (this.#room && this.#me) await this.#joinScopes(this.#me);
  }

  /** Joins the room of every held scope not joined yet. */
  async #joinScopes(me: Me): Promise<void> {
    const config = await loadRuntimeConfig();
    const urls = resolveSignalingUrls(config, location.origin);
    for (const scope of lostScopes(this.caseDoc.doc, this.#fingerprint ?? '', this.#record.scopes)) this.#lost.add(scope);
    for (const [scope, held] of this.#scopes) {
      const secret = this.#record.scopes[scope];
      if (held.room || !secret || this.#lost.has(scope)) continue;
      held.room = await ConferenceRoom.join(held.doc, secret, urls, config, me, 'scope');
    }
  }

  get record(): CaseRecord {
    return this.#record;
  }

  get room(): ConferenceRoom | null {
    return this.#room;
  }

  /** Creates the room secret on first use, registers the host at the table, then connects. */
  async startConference(me: Me): Promise<ConferenceRoom> {
    const fresh = !this.#record.room;
    const secret = this.#record.room ?? newRoomSecret();
    const participantId = this.#record.me?.participantId;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, room: secret, me: { ...me, participantId } }));
    if (record) this.#record = record;
    // A room made just now cannot have been left behind by a rotation.
    return this.connect(me, !fresh);
  }

  /** This device's person in the case's participant list, if they have sat at the table. */
  get participantId(): string | undefined {
    return this.#record.me?.participantId;
  }

  /**
   * Reconnects to the case's room (after reload or going online), if it has one. With `probe`
   * (the default) it first looks into the room with the keyring only (#probe) and follows a
   * rotation it missed; only then does the case document go into a room.
   */
  connect(stored: Me | undefined = this.#record.me, probe = true): Promise<ConferenceRoom> {
    if (!this.#connecting) {
      this.#connecting = this.#connect(stored, probe).finally(() => {
        this.#connecting = null;
        this.#connectingListeners.forEach((l) => l(false));
      });
      this.#connectingListeners.forEach((l) => l(true));
    }
    return this.#connecting;
  }

  /** Follows whether a connection is being set up (for instance: the probe is looking). */
  onConnecting(listener: (connecting: boolean) => void): () => void {
    this.#connectingListeners.add(listener);
    listener(this.#connecting !== null);
    return () => this.#connectingListeners.delete(listener);
  }

  async #connect(stored: Me | undefined, probe: boolean): Promise<ConferenceRoom> {
    if (!this.#record.room || !stored) throw new Error('case has no conference yet');
    if (this.#record.removedFromTable) throw new Error('removed from the table');
    const identity = await loadOrCreateDeviceIdentity(this.#db);
    this.#identity = identity;
    this.#fingerprint = await fingerprint(identity.publicKeys);
    const me: Me = { name: stored.name, role: stored.role, fingerprint: this.#fingerprint };
    this.#me = me;
    await this.#register(me);
    if (probe && !this.#room) await this.#probe(identity, this.#fingerprint);
    const secret = this.#record.room;
    if (!secret) throw new Error('case has no conference yet');
    if (this.#room) {
      this.#room.setMe(me);
      await this.#joinScopes(me);
      return this.#room;
    }
    const config = await loadRuntimeConfig();
    this.#room = await ConferenceRoom.join(this.caseDoc.doc, secret, resolveSignalingUrls(config, location.origin), config, me);
    await this.#joinScopes(me);
    if (await this.#shouldHost(me)) await this.#openDesk(me);
    this.#roomListeners.forEach((l) => l(this.#room));
    // A rotation or a grant may have arrived while this device was not listening yet.
    this.#checkRotation();
    this.#checkGrants();
    this.#syncGrants(this.caseDoc.view());
    this.#hostingStarted();
    return this.#room;
  }

  /**
   * A device hosts (admits, rotates keys) when its person is a case manager who has not handed
   * the case over to someone else (src/app/handover.ts).
   */
  async #shouldHost(me: Me): Promise<boolean> {
    if (!HOST_ROLES.includes(me.role)) return false;
    const status = await handoverStatus(this.caseDoc).catch(() => null);
    return !(status?.transferOk && status.state.transfer?.fromFingerprint === me.fingerprint);
  }

  /** Whether this device hosts the table now. */
  get hosting(): boolean {
    return this.#desk !== null;
  }

  async #openDesk(me: Me): Promise<void> {
    const desk = new AdmissionDesk(this.caseDoc, me, (invite, fp) => void this.#markAdmitted(invite.id, fp));
    this.#desk = desk;
    await desk.sync(this.#record.invites);
  }

  /** A host keeps beacons in the rooms the case left, and rotates if another host's entry is stale. */
  #hostingStarted(): void {
    if (!this.#desk) return;
    void this.#startBeacons();
    this.#rotateIfStale();
  }

  /**
   * The case was handed over to this device's person (a valid transfer names her): she is the
   * case manager from now on and this device hosts: the admission desk and the beacons start
   * as for any host. She stays in the room: leaving and joining again would cut everyone's
   * connection to her at the moment the old host leaves too, and it is over these connections
   * that the next room key reaches the others.
   */
  async assumeHost(): Promise<void> {
    const record = await updateCase(this.#db, this.#record.id, (r) => (r.me ? { ...r, me: { ...r.me, role: 'fallmanager' } } : r));
    if (record) this.#record = record;
    // A connection under way started with the old role: it hosts nothing; this takes over after it.
    await this.#connecting?.catch(() => undefined);
    const room = this.#room;
    const stored = this.#record.me;
    if (!room || !stored || !this.#fingerprint || this.#desk || this.#closed) return;
    const me: Me = { name: stored.name, role: stored.role, fingerprint: this.#fingerprint };
    this.#me = me;
    await this.#register(me);
    room.setMe(me);
    await this.#joinScopes(me);
    if (this.#room !== room || this.#desk || !(await this.#shouldHost(me))) return;
    await this.#openDesk(me);
    this.#roomListeners.forEach((l) => l(room));
    this.#hostingStarted();
  }

  /** This device handed the case over: it stops hosting (it stays in the room, without a desk or beacons). */
  async stopHosting(): Promise<void> {
    const desk = this.#desk;
    if (!desk) return;
    this.#desk = null;
    await desk.destroy();
    for (const roomId of [...this.#beacons.keys()]) await this.#stopBeacon(roomId);
    this.#roomListeners.forEach((l) => l(this.#room));
  }

  /** This device as the signer of keyring entries and grants, once connected. */
  get #signer(): Signer | undefined {
    return this.#identity && this.#fingerprint ? { identity: this.#identity, fingerprint: this.#fingerprint } : undefined;
  }

  /** Only a host still at the table, as this device knows the table, moves anyone. */
  #trust = (entry: { by?: string | undefined; sig?: string | undefined }): Promise<boolean> =>
    signedByHost(entry, this.caseDoc.view().participants);

  /**
   * Looks into this device's room with a keyring-only document before the case document
   * goes there: if the room was left behind by a rotation while this device was away, a host's
   * beacon there holds the new key wrapped for this device (or none: it was removed). Its
   * edits made meanwhile then never reach whoever still sits in the old room. Waits until
   * someone's state arrived, at most PROBE_MS.
   */
  async #probe(identity: DeviceIdentity, fp: string): Promise<void> {
    const secret = this.#record.room!;
    const config = await loadRuntimeConfig();
    const doc = new Y.Doc();
    const probe = new RekeyBeacon(doc, secret, resolveSignalingUrls(config, location.origin), config);
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([probe.whenSynced(), new Promise<void>((resolve) => (timer = setTimeout(resolve, PROBE_MS)))]);
      clearTimeout(timer);
      if (this.#closed) throw new Error('case closed');
      const known = { epoch: this.#record.roomEpoch, roomId: secret.roomId };
      const outcome = await followRotation(doc, known, identity, fp, this.caseDoc.doc, this.#trust);
      if (outcome?.kind === 'removed') {
        await this.#markRemoved(outcome.epoch);
        throw new Error('removed from the table');
      }
      if (outcome?.kind === 'moved') {
        const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, room: outcome.secret, roomEpoch: outcome.epoch }));
        if (record) this.#record = record;
      }
      for (const scope of lostScopes(doc, fp, this.#record.scopes)) this.#lost.add(scope);
      for (const [scope, scopeSecret] of await followGrants(doc, identity, fp, this.#record.scopes, this.#trust)) {
        this.#lost.delete(scope);
        await this.openScope(scope, scopeSecret);
      }
    } finally {
      await probe.close();
      doc.destroy();
    }
  }

  /**
   * Back online: the rooms are left at once (this listener runs first, so their own handlers
   * do not bring the case document back into a room that may be stale) and joined again
   * through the probe.
   */
  #onOnline = (): void => {
    const room = this.#room;
    if (!room || this.#closed) return;
    const leaving = [room.leave(), ...[...this.#scopes.values()].map((held) => held.room?.leave())];
    void (async () => {
      await Promise.all(leaving);
      await this.leaveConference();
      await this.connect().catch(() => undefined);
    })();
  };

  // --- beacons in rooms the case left ----------------------------------------

  /** Rooms a host keeps a beacon in: those left this session, and those the keyring names. */
  async #beaconRooms(): Promise<RoomSecret[]> {
    const identity = this.#identity;
    const fp = this.#fingerprint;
    const current = this.#record.room?.roomId;
    const now = Date.now();
    const rooms = new Map<string, { secret: RoomSecret; at: number }>(this.#leftRooms);
    if (identity && fp) {
      for (const entry of readKeyring(this.caseDoc.doc)) {
        const wrapped = entry.keys[fp];
        if (!wrapped || rooms.has(entry.roomId)) continue;
        try {
          const key = await unwrapSecret(identity, wrapped, rotationContext(entry.roomId, fp));
          rooms.set(entry.roomId, { secret: RoomSecretSchema.parse({ roomId: entry.roomId, key: toBase64Url(key) }), at: this.#leftAt(entry) });
        } catch {
          // Not for this device.
        }
      }
    }
    return [...rooms.values()]
      .filter((r) => r.secret.roomId !== current && now - r.at < BEACON_MS)
      .sort((a, b) => b.at - a.at)
      .slice(0, MAX_BEACONS)
      .map((r) => r.secret);
  }

  /** When the case left the room of `entry`: the time of the next rotation. */
  #leftAt(entry: KeyringEntry): number {
    return readKeyring(this.caseDoc.doc).find((e) => e.epoch > entry.epoch)?.at ?? Date.now();
  }

  /**
   * While this device hosts: one beacon per recent old room, holding copies of the keyring
   * and the grants (wrapped per device: a removed device finds nothing for itself), never
   * the case. What other hosts' beacons hold comes back from there, signed, so two hosts
   * that rotated at once converge on one room.
   */
  async #startBeacons(): Promise<void> {
    const rooms = await this.#beaconRooms();
    if (!this.#desk || this.#closed) return;
    const config = await loadRuntimeConfig();
    const urls = resolveSignalingUrls(config, location.origin);
    for (const secret of rooms) {
      if (this.#beacons.has(secret.roomId) || secret.roomId === this.#record.room?.roomId) continue;
      const doc = new Y.Doc();
      const beacon = new RekeyBeacon(doc, secret, urls, config, BEACON_ROOTS);
      const caseMaps = BEACON_ROOTS.map((name) => rootMap(this.caseDoc.doc, name));
      const beaconMaps = BEACON_ROOTS.map((name) => rootMap(doc, name));
      const out = () => mirrorToBeacon(this.caseDoc.doc, doc);
      const back = () => void adoptFromBeacon(doc, this.caseDoc.doc, this.#trust).catch(() => undefined);
      // A full peer in the old room (an outdated or a removed device) sends its case content
      // here too; the beacon does not take it in (RekeyBeacon's `keep`), and stays connected
      // until that device has its key. Should content get in all the same, the beacon must
      // not hand it on to the next device looking in: it starts over with an empty document.
      let restart: ReturnType<typeof setTimeout> | undefined;
      const foreign = () => {
        if (restart || [...doc.share.keys()].every((k) => (BEACON_ROOTS as readonly string[]).includes(k))) return;
        void this.#stopBeacon(secret.roomId);
        restart = setTimeout(() => void this.#startBeacons(), BEACON_RESTART_MS);
      };
      caseMaps.forEach((m) => m.observe(out));
      beaconMaps.forEach((m) => m.observe(back));
      doc.on('update', foreign);
      out();
      const timer = setTimeout(() => void this.#stopBeacon(secret.roomId), BEACON_MS);
      this.#beacons.set(secret.roomId, {
        beacon,
        stop: () => {
          clearTimeout(timer);
          caseMaps.forEach((m) => m.unobserve(out));
          beaconMaps.forEach((m) => m.unobserve(back));
          doc.off('update', foreign);
        },
      });
    }
  }

  async #stopBeacon(roomId: string): Promise<void> {
    const held = this.#beacons.get(roomId);
    if (!held) return;
    this.#beacons.delete(roomId);
    held.stop();
    await held.beacon.close();
    held.beacon.doc.destroy();
  }

  /** Room ids of the beacons this device keeps (for tests and support). */
  get beaconRooms(): string[] {
    return [...this.#beacons.keys()];
  }

  /**
   * After following another host's rotation: if its entry still hands the key to someone
   * this host removed (both removed someone at the same moment), rotate once more.
   */
  #rotateIfStale(): void {
    if (!this.#desk || this.#rotating) return;
    const latest = readKeyring(this.caseDoc.doc).at(-1);
    if (!latest || latest.roomId !== this.#record.room?.roomId) return;
    const view = this.caseDoc.view();
    const stale = view.participants.filter((p) => p.removedAt && p.fingerprint && latest.keys[p.fingerprint]);
    if (stale.length === 0) return;
    queueMicrotask(() => void this.#rotateNow(stale.map((p) => p.id)).catch(() => undefined));
  }

  /** Registers this device's person at the table and remembers their participant id. */
  async #register(me: Me): Promise<void> {
    const identity = await loadOrCreateDeviceIdentity(this.#db);
    const device = { keys: identity.publicKeys, fingerprint: await fingerprint(identity.publicKeys) };
    const participantId = ensureParticipant(this.caseDoc, me, this.#record.me?.participantId, device);
    if (participantId === this.#record.me?.participantId && this.#record.me?.name === me.name) return;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, me: { ...me, participantId } }));
    if (record) this.#record = record;
  }

  async leaveConference(): Promise<void> {
    const room = this.#room;
    const desk = this.#desk;
    this.#room = null;
    this.#desk = null;
    await desk?.destroy();
    await room?.leave();
    for (const held of this.#scopes.values()) {
      const scopeRoom = held.room;
      held.room = null;
      await scopeRoom?.leave();
    }
    this.#roomListeners.forEach((l) => l(null));
  }

  onRoomChange(listener: (room: ConferenceRoom | null) => void): () => void {
    this.#roomListeners.add(listener);
    return () => this.#roomListeners.delete(listener);
  }

  get removed(): boolean {
    return this.#record.removedFromTable !== undefined;
  }

  // --- removal and key rotation ---------------------------------------------

  /**
   * Removes a participant from the table: the case moves to a fresh room whose key only the
   * remaining devices receive. What the removed person already received stays on their device.
   */
  async removeParticipant(participantId: string): Promise<void> {
    const view = this.caseDoc.view();
    const target = view.participants.find((p) => p.id === participantId);
    if (!target || !this.#room || !this.#desk) throw new Error('cannot remove: not hosting');
    if (!target.removedAt) this.caseDoc.update('participants', participantId, { removedAt: Date.now() });
    await this.#rotateNow([participantId]);
  }

  /** A new epoch for everyone at the table except `removedIds`, then moves there. */
  async #rotateNow(removedIds: readonly string[]): Promise<void> {
    if (!this.#room || !this.#desk) throw new Error('cannot rotate: not hosting');
    const view = this.caseDoc.view();
    const gone = view.participants.filter((p) => removedIds.includes(p.id));
    this.#rotating = true;
    try {
      const remaining = view.participants.filter((p) => !removedIds.includes(p.id) && !p.removedAt);
      const epoch = this.#record.roomEpoch + 1;
      const { secret } = await rotate(this.caseDoc.doc, epoch, remaining, [...removedIds], this.#signer);
      // Wait until the devices here now have the new key, so nobody is left behind.
      const expected = this.#room
        .present()
        .filter((p) => !p.self && p.fingerprint && !gone.some((g) => g.fingerprint === p.fingerprint))
        .filter((p) => remaining.some((r) => r.fingerprint === p.fingerprint))
        .map((p) => p.fingerprint!);
      await awaitAcknowledgements(this.caseDoc.doc, epoch, expected, 10_000);
      await this.#moveTo(secret, epoch);
    } finally {
      this.#rotating = false;
    }
    // Every further scope the removed device held gets a new key, for the others only.
    this.#syncGrants(this.caseDoc.view());
  }

  // --- further scopes: grants and their rotation ----------------------------

  /**
   * While this device hosts: hands the current key of each further scope to everyone newly
   * entitled (a consent released a topic), and gives a scope a new key when someone listed
   * for it is no longer entitled (removed from the table, or a consent lost that topic; the
   * partner stays at the table for the other scopes).
   */
  #syncGrants(view: CaseView): void {
    if (!this.#desk || this.#rotating || this.#granting || !this.#fingerprint) return;
    const today = isoDay(new Date());
    const plan = planGrants(this.caseDoc.doc, view, this.#record.scopes, today, this.#fingerprint);
    if (plan.grant.length === 0 && plan.rotate.length === 0) return;
    this.#granting = true;
    void (async () => {
      try {
        for (const scope of plan.rotate) {
          // The record moves first: a grant of the old key is never written after the new one.
          const secret = newRoomSecret();
          await this.openScope(scope, secret);
          await grantScope(this.caseDoc.doc, scope, secret, entitledDevices(this.caseDoc.view(), scope, today), this.#signer);
        }
        for (const scope of plan.grant) {
          const secret = this.#record.scopes[scope];
          if (secret) await grantScope(this.caseDoc.doc, scope, secret, entitledDevices(this.caseDoc.view(), scope, today), this.#signer);
        }
      } catch {
        // Tried again with the next change of the case.
      } finally {
        this.#granting = false;
      }
      this.#syncGrants(this.caseDoc.view());
    })();
  }

  /** Every device: opens a scope it was granted, or follows a scope's new key. */
  #checkGrants = (): void => {
    const identity = this.#identity;
    const fp = this.#fingerprint;
    if (!identity || !fp || this.#followingGrants || this.removed) return;
    this.#followingGrants = true;
    void (async () => {
      try {
        const due = await followGrants(this.caseDoc.doc, identity, fp, this.#record.scopes);
        for (const [scope, secret] of due) {
          this.#lost.delete(scope);
          await this.openScope(scope, secret);
        }
        // A scope this device lost: its copy stays here, but never goes into a room again.
        for (const scope of lostScopes(this.caseDoc.doc, fp, this.#record.scopes)) {
          this.#lost.add(scope);
          const held = this.#scopes.get(scope);
          const room = held?.room;
          if (held) held.room = null;
          await room?.leave();
        }
        if (due.length > 0) queueMicrotask(this.#checkGrants);
      } catch {
        // Tried again with the next update.
      } finally {
        this.#followingGrants = false;
      }
    })();
  };

  /**
   * A partner whose consent was revoked or has run out leaves the table at once: while this
   * device hosts, such a participant is removed (with a new room key for everyone else).
   */
  #enforceConsent(view: CaseView): void {
    if (!this.#desk || this.#rotating) return;
    const today = isoDay(new Date());
    const lapsed = view.participants.find((p) => !p.removedAt && p.fingerprint && !mayAdmitPartner(p, view.consents, today));
    if (lapsed) queueMicrotask(() => void this.removeParticipant(lapsed.id).catch(() => undefined));
  }

  async #moveTo(secret: RoomSecret, epoch: number): Promise<void> {
    const old = this.#record.room;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, room: secret, roomEpoch: epoch }));
    if (record) this.#record = record;
    if (old && old.roomId !== secret.roomId) this.#leftRooms.set(old.roomId, { secret: old, at: Date.now() });
    await this.#stopBeacon(secret.roomId);
    await this.leaveConference();
    // The new room is known from the keyring this device just read: no probe needed.
    await this.connect(undefined, false);
  }

  async #markRemoved(epoch: number): Promise<void> {
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, roomEpoch: epoch, removedFromTable: Date.now() }));
    if (record) this.#record = record;
    await this.leaveConference();
  }

  #checkRotation = (): void => {
    const identity = this.#identity;
    const fp = this.#fingerprint;
    const room = this.#record.room;
    if (!identity || !fp || !room || this.#rotating || this.#following || this.removed) return;
    const known = { epoch: this.#record.roomEpoch, roomId: room.roomId };
    if (!pendingRotation(readKeyring(this.caseDoc.doc), known)) return;
    this.#following = true;
    void (async () => {
      try {
        const outcome = await followRotation(this.caseDoc.doc, known, identity, fp);
        if (outcome?.kind === 'moved') await this.#moveTo(outcome.secret, outcome.epoch);
        if (outcome?.kind === 'removed') await this.#markRemoved(outcome.epoch);
      } finally {
        this.#following = false;
      }
      // Another rotation may have arrived meanwhile.
      this.#checkRotation();
    })();
  };

  // --- invitations and admission (host) -----------------------------------

  get desk(): AdmissionDesk | null {
    return this.#desk;
  }

  /** One invite per person; its link opens a lobby, never the case itself. */
  async createInvite(input: NewInvite): Promise<Invite> {
    const now = Date.now();
    const invite = Invite.parse({
      id: newId(),
      name: input.name,
      role: input.role,
      organisation: input.organisation ?? '',
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      lobby: newRoomSecret(),
      createdAt: now,
      expiresAt: now + Math.max(1, input.validHours) * 3_600_000,
    });
    await this.#changeInvites((list) => [...list, invite]);
    return invite;
  }

  async withdrawInvite(id: string): Promise<void> {
    await this.#changeInvites((list) => list.map((i) => (i.id === id ? { ...i, withdrawnAt: Date.now() } : i)));
  }

  async admit(entry: LobbyEntry): Promise<void> {
    const secret = this.#record.room;
    if (!this.#desk || !secret) throw new Error('no conference running');
    await this.#desk.admit(entry, this.#record.id, secret, this.#record.scopes);
  }

  refuse(entry: LobbyEntry): void {
    this.#desk?.refuse(entry);
  }

  async #markAdmitted(inviteId: string, fp: string): Promise<void> {
    const invite = this.#record.invites.find((i) => i.id === inviteId);
    if (!invite || invite.admitted) return;
    await this.#changeInvites((list) => list.map((i) => (i.id === inviteId ? { ...i, admitted: fp } : i)));
  }

  async #changeInvites(change: (list: Invite[]) => Invite[]): Promise<void> {
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, invites: change(r.invites) }));
    if (record) this.#record = record;
    this.#inviteListeners.forEach((l) => l(this.#record.invites));
    await this.#desk?.sync(this.#record.invites);
  }

  onInvites(listener: (invites: Invite[]) => void): () => void {
    this.#inviteListeners.add(listener);
    listener(this.#record.invites);
    return () => this.#inviteListeners.delete(listener);
  }

  async #touch(): Promise<void> {
    const meta = this.caseDoc.view().meta;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({
      ...r,
      updatedAt: Date.now(),
      ...(meta ? { displayName: meta.displayName, team: meta.team } : {}),
    }));
    if (record) this.#record = record;
  }

  onSaveState(listener: (state: SaveState) => void): () => void {
    return this.persistence.onState(listener);
  }

  #closing: Promise<void> | null = null;

  /** Closes the case on this device; a second call waits for the first. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = this.#close();
      closingCases.set(this.#record.id, this.#closing);
    }
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    globalThis.removeEventListener?.('online', this.#onOnline, { capture: true });
    for (const roomId of [...this.#beacons.keys()]) await this.#stopBeacon(roomId);
    this.#stopIndexing();
    this.caseDoc.doc.off('update', this.#checkRotation);
    this.caseDoc.doc.off('update', this.#checkGrants);
    await this.leaveConference();
    await this.persistence.whenSaved().catch(() => undefined);
    this.persistence.destroy();
    for (const held of this.#scopes.values()) {
      await held.persistence.whenSaved().catch(() => undefined);
      held.persistence.destroy();
    }
    this.caseDoc.destroy();
    this.caseDoc.doc.destroy();
    for (const held of this.#scopes.values()) held.doc.destroy();
    this.#scopes.clear();
  }
}

import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { fingerprint, type DeviceIdentity } from '../crypto/identity.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { readKeyring } from '../case/keyring.ts';
import type { CaseView } from '../case/read.ts';
import { mayAdmitPartner } from '../domain/consent.ts';
import { isoDay } from '../domain/dates.ts';
import { newRoomSecret } from '../crypto/roomSecret.ts';
import { newId } from '../domain/ids.ts';
import { Role } from '../domain/roles.ts';
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
import { awaitAcknowledgements, followRotation, rotate } from './rotation.ts';
import { entitledDevices, followGrants, grantScope, planGrants } from './scopeKeys.ts';

/** Roles that host a table: they invite and admit. */
const HOST_ROLES: readonly Role[] = ['fallmanager', 'nachfolge'];

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
  }

  static async open(db: RunderTischDb, caseId: string): Promise<CaseSession | null> {
    const record = await getCase(db, caseId);
    if (!record) return null;
    const scopes: [ScopeId, Y.Doc, DocPersistence][] = [];
    for (const scope of Object.keys(record.scopes) as ScopeId[]) {
      const scopeDoc = new Y.Doc();
      scopes.push([scope, scopeDoc, await DocPersistence.open(db, scopeDocKey(caseId, scope), scopeDoc)]);
    }
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
    for (const [scope, held] of this.#scopes) {
      const secret = this.#record.scopes[scope];
      if (held.room || !secret) continue;
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
    const secret = this.#record.room ?? newRoomSecret();
    const participantId = this.#record.me?.participantId;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, room: secret, me: { ...me, participantId } }));
    if (record) this.#record = record;
    return this.connect(me);
  }

  /** This device's person in the case's participant list, if they have sat at the table. */
  get participantId(): string | undefined {
    return this.#record.me?.participantId;
  }

  /** Reconnects to the case's room (after reload or going online), if it has one. */
  async connect(stored: Me | undefined = this.#record.me): Promise<ConferenceRoom> {
    const secret = this.#record.room;
    if (!secret || !stored) throw new Error('case has no conference yet');
    if (this.#record.removedFromTable) throw new Error('removed from the table');
    const identity = await loadOrCreateDeviceIdentity(this.#db);
    this.#identity = identity;
    this.#fingerprint = await fingerprint(identity.publicKeys);
    const me: Me = { name: stored.name, role: stored.role, fingerprint: this.#fingerprint };
    this.#me = me;
    await this.#register(me);
    if (this.#room) {
      this.#room.setMe(me);
      await this.#joinScopes(me);
      return this.#room;
    }
    const config = await loadRuntimeConfig();
    this.#room = await ConferenceRoom.join(this.caseDoc.doc, secret, resolveSignalingUrls(config, location.origin), config, me);
    await this.#joinScopes(me);
    if (HOST_ROLES.includes(me.role)) {
      this.#desk = new AdmissionDesk(this.caseDoc, me, (invite, fp) => void this.#markAdmitted(invite.id, fp));
      await this.#desk.sync(this.#record.invites);
    }
    this.#roomListeners.forEach((l) => l(this.#room));
    // A rotation or a grant may have arrived while this device was not listening yet.
    this.#checkRotation();
    this.#checkGrants();
    this.#syncGrants(this.caseDoc.view());
    return this.#room;
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
    this.#rotating = true;
    try {
      const remaining = view.participants.filter((p) => p.id !== participantId && !p.removedAt);
      this.caseDoc.update('participants', participantId, { removedAt: Date.now() });
      const epoch = this.#record.roomEpoch + 1;
      const { secret } = await rotate(this.caseDoc.doc, epoch, remaining, [participantId]);
      // Wait until the devices here now have the new key, so nobody is left behind.
      const expected = this.#room
        .present()
        .filter((p) => !p.self && p.fingerprint && p.fingerprint !== target.fingerprint)
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
          await grantScope(this.caseDoc.doc, scope, secret, entitledDevices(this.caseDoc.view(), scope, today));
        }
        for (const scope of plan.grant) {
          const secret = this.#record.scopes[scope];
          if (secret) await grantScope(this.caseDoc.doc, scope, secret, entitledDevices(this.caseDoc.view(), scope, today));
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
        for (const [scope, secret] of due) await this.openScope(scope, secret);
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
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, room: secret, roomEpoch: epoch }));
    if (record) this.#record = record;
    await this.leaveConference();
    await this.connect();
  }

  #checkRotation = (): void => {
    const identity = this.#identity;
    const fp = this.#fingerprint;
    if (!identity || !fp || this.#rotating || this.#following || this.removed) return;
    const latest = readKeyring(this.caseDoc.doc).at(-1);
    if (!latest || latest.epoch <= this.#record.roomEpoch) return;
    this.#following = true;
    void (async () => {
      try {
        const outcome = await followRotation(this.caseDoc.doc, this.#record.roomEpoch, identity, fp);
        if (outcome?.kind === 'moved') await this.#moveTo(outcome.secret, outcome.epoch);
        if (outcome?.kind === 'removed') {
          const record = await updateCase(this.#db, this.#record.id, (r) => ({
            ...r,
            roomEpoch: outcome.epoch,
            removedFromTable: Date.now(),
          }));
          if (record) this.#record = record;
          await this.leaveConference();
        }
      } finally {
        this.#following = false;
      }
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

  async close(): Promise<void> {
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

import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { fingerprint } from '../crypto/identity.ts';
import { newRoomSecret } from '../crypto/roomSecret.ts';
import { newId } from '../domain/ids.ts';
import { Role } from '../domain/roles.ts';
import { getCase, updateCase } from '../storage/caseIndex.ts';
import { Invite, sharedDocKey, type CaseRecord } from '../storage/caseRecord.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence, type SaveState } from '../storage/docPersistence.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';
import { takeOver } from './handoff.ts';
import { ensureParticipant } from './participants.ts';
import { AdmissionDesk, type LobbyEntry } from './admissionDesk.ts';

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
  #desk: AdmissionDesk | null = null;
  #stopIndexing: () => void;

  private constructor(db: RunderTischDb, record: CaseRecord, doc: Y.Doc, persistence: DocPersistence) {
    this.#db = db;
    this.#record = record;
    this.caseDoc = new CaseDocument(doc);
    this.persistence = persistence;
    this.#stopIndexing = this.caseDoc.subscribe((view) => {
      if (view.meta && view.meta.displayName !== this.#record.displayName) void this.#touch();
    });
  }

  static async open(db: RunderTischDb, caseId: string): Promise<CaseSession | null> {
    const record = await getCase(db, caseId);
    if (!record) return null;
    const live = takeOver(caseId);
    if (live) {
      const session = new CaseSession(db, record, live.doc, live.persistence);
      session.#room = live.room;
      return session;
    }
    const doc = new Y.Doc();
    const persistence = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    return new CaseSession(db, record, doc, persistence);
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
    const identity = await loadOrCreateDeviceIdentity(this.#db);
    const me: Me = { name: stored.name, role: stored.role, fingerprint: await fingerprint(identity.publicKeys) };
    await this.#register(me);
    if (this.#room) {
      this.#room.setMe(me);
      return this.#room;
    }
    const config = await loadRuntimeConfig();
    this.#room = await ConferenceRoom.join(this.caseDoc.doc, secret, resolveSignalingUrls(config, location.origin), config, me);
    if (HOST_ROLES.includes(me.role)) {
      this.#desk = new AdmissionDesk(this.caseDoc, me, (invite, fp) => void this.#markAdmitted(invite.id, fp));
      await this.#desk.sync(this.#record.invites);
    }
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
  }

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
    await this.#desk.admit(entry, this.#record.id, secret);
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

  #inviteListeners = new Set<(invites: Invite[]) => void>();

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
    await this.leaveConference();
    await this.persistence.whenSaved().catch(() => undefined);
    this.persistence.destroy();
    this.caseDoc.destroy();
    this.caseDoc.doc.destroy();
  }
}

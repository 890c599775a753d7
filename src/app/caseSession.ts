import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { newRoomSecret } from '../crypto/roomSecret.ts';
import { getCase, updateCase } from '../storage/caseIndex.ts';
import { sharedDocKey, type CaseRecord } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence, type SaveState } from '../storage/docPersistence.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';
import { takeOver } from './handoff.ts';
import { ensureParticipant } from './participants.ts';

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
  async connect(me: Me | undefined = this.#record.me): Promise<ConferenceRoom> {
    const secret = this.#record.room;
    if (!secret || !me) throw new Error('case has no conference yet');
    await this.#register(me);
    if (this.#room) {
      this.#room.setMe(me);
      return this.#room;
    }
    const config = await loadRuntimeConfig();
    this.#room = await ConferenceRoom.join(this.caseDoc.doc, secret, resolveSignalingUrls(config, location.origin), config, me);
    return this.#room;
  }

  /** Registers this device's person at the table and remembers their participant id. */
  async #register(me: Me): Promise<void> {
    const participantId = ensureParticipant(this.caseDoc, me, this.#record.me?.participantId);
    if (participantId === this.#record.me?.participantId && this.#record.me?.name === me.name) return;
    const record = await updateCase(this.#db, this.#record.id, (r) => ({ ...r, me: { ...me, participantId } }));
    if (record) this.#record = record;
  }

  async leaveConference(): Promise<void> {
    const room = this.#room;
    this.#room = null;
    await room?.leave();
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

import * as Y from 'yjs';
import type { CaseDocument } from '../case/caseDocument.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { isoDay } from '../domain/dates.ts';
import { scopesFor, type ScopeId } from '../domain/visibility.ts';
import type { Invite } from '../storage/caseRecord.ts';
import { appDb } from '../storage/db.ts';
import { pinKeys } from '../storage/pinnedKeys.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { admit, readKnocks, refuse, type PendingKnock } from '../sync/lobby.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';

export interface LobbyEntry extends PendingKnock {
  invite: Invite;
}

interface Lobby {
  invite: Invite;
  doc: Y.Doc;
  room: ConferenceRoom;
  stop: () => void;
}

/** An invite still lets someone knock: not withdrawn, not expired, nobody admitted yet. */
export function inviteOpen(invite: Invite, now = Date.now()): boolean {
  return invite.withdrawnAt === undefined && invite.expiresAt > now && invite.admitted === undefined;
}

/**
 * The host's side of admission: one lobby room per open invite while the conference runs.
 * Knocks are listed for the host to decide; nothing is ever handed out automatically.
 */
export class AdmissionDesk {
  #lobbies = new Map<string, Lobby>();
  #entries: LobbyEntry[] = [];
  #listeners = new Set<(entries: LobbyEntry[]) => void>();
  #caseDoc: CaseDocument;
  #me: Me;
  #onReceived: (invite: Invite, fingerprint: string) => void;

  /** `onReceived`: the admitted device has its key; the invite is used up. */
  constructor(caseDoc: CaseDocument, me: Me, onReceived: (invite: Invite, fingerprint: string) => void) {
    this.#caseDoc = caseDoc;
    this.#me = me;
    this.#onReceived = onReceived;
  }

  subscribe(listener: (entries: LobbyEntry[]) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#entries);
    return () => this.#listeners.delete(listener);
  }

  /** Opens lobbies for open invites and closes the others. */
  async sync(invites: readonly Invite[]): Promise<void> {
    const wanted = new Map(invites.filter((i) => inviteOpen(i)).map((i) => [i.id, i]));
    for (const [id, lobby] of this.#lobbies) {
      if (!wanted.has(id)) await this.#close(id, lobby);
      else lobby.invite = wanted.get(id)!;
    }
    const config = await loadRuntimeConfig();
    for (const invite of wanted.values()) {
      if (this.#lobbies.has(invite.id)) continue;
      const doc = new Y.Doc();
      const room = await ConferenceRoom.join(doc, invite.lobby, resolveSignalingUrls(config, location.origin), config, this.#me, 'lobby');
      const onChange = () => void this.#refresh();
      doc.on('update', onChange);
      this.#lobbies.set(invite.id, { invite, doc, room, stop: () => doc.off('update', onChange) });
    }
    await this.#refresh();
  }

  async #refresh(): Promise<void> {
    const entries: LobbyEntry[] = [];
    for (const lobby of this.#lobbies.values()) {
      for (const knock of await readKnocks(lobby.doc)) entries.push({ ...knock, invite: lobby.invite });
    }
    this.#entries = entries;
    for (const listener of this.#listeners) listener(entries);
    for (const entry of entries) {
      if (entry.answer === 'admitted' && entry.received) this.#onReceived(entry.invite, entry.fingerprint);
    }
  }

  /**
   * Lets the knocking device in: registers the person as a participant with their device
   * keys, then hands over the case room key wrapped for that device alone.
   */
  /**
   * `scopes`: the further scope keys this host holds; the person receives those their role
   * and the case's consents entitle them to today (`scopesFor`), nothing else.
   */
  async admit(entry: LobbyEntry, caseId: string, secret: RoomSecret, scopes: Record<string, RoomSecret> = {}): Promise<string> {
    const lobby = this.#lobbies.get(entry.invite.id);
    if (!lobby) throw new Error('invite is no longer open');
    const participantId = this.#caseDoc.add('participants', {
      fields: {
        name: entry.name,
        role: entry.invite.role,
        organisation: entry.invite.organisation || entry.organisation,
        ...(entry.invite.partnerId ? { partnerId: entry.invite.partnerId } : {}),
        signKey: entry.keys.sign,
        agreeKey: entry.keys.agree,
        fingerprint: entry.fingerprint,
      },
    });
    // The key came straight from the knocking device (its fingerprint checked in readKnocks),
    // not through the shared document: this device pins it as authoritative for agreed versions.
    await pinKeys(appDb(), caseId, [{ participantId, signKey: entry.keys.sign }], 'admission').catch(() => undefined);
    const entitled = scopesFor(
      { role: entry.invite.role, partnerId: entry.invite.partnerId },
      this.#caseDoc.view().consents,
      isoDay(new Date()),
    );
    const granted = Object.fromEntries(Object.entries(scopes).filter(([scope]) => entitled.includes(scope as ScopeId)));
    await admit(lobby.doc, lobby.invite.lobby.roomId, entry, { caseId, participantId, secret, scopes: granted });
    return participantId;
  }

  refuse(entry: LobbyEntry): void {
    const lobby = this.#lobbies.get(entry.invite.id);
    if (lobby) refuse(lobby.doc, entry.fingerprint);
  }

  async #close(id: string, lobby: Lobby): Promise<void> {
    this.#lobbies.delete(id);
    lobby.stop();
    await lobby.room.leave();
    lobby.doc.destroy();
  }

  async destroy(): Promise<void> {
    for (const [id, lobby] of [...this.#lobbies]) await this.#close(id, lobby);
    this.#listeners.clear();
  }
}


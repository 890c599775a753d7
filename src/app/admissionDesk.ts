import * as Y from 'yjs';
import type { CaseDocument } from '../case/caseDocument.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { isoDay } from '../domain/dates.ts';
import type { Participant } from '../domain/participants.ts';
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

/** The invite behind a knock was withdrawn, has expired or was used up: nobody is let in. */
export class InviteClosedError extends Error {
  constructor() {
    super('invite is no longer open');
    this.name = 'InviteClosedError';
  }
}

/** setTimeout takes at most a signed 32-bit delay; a later expiry is re-checked on the way. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The case's entry for the invited person if the case lists them already but no device of
 * theirs has sat at the table yet: same role, same name as the invite (ignoring case and
 * spaces), for a partner the same organisation. Only one such entry counts: two would be a guess.
 */
export function listedBefore(participants: readonly Participant[], invite: Pick<Invite, 'name' | 'role' | 'partnerId'>): Participant | undefined {
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase('de') === b.trim().toLocaleLowerCase('de');
  const candidates = participants.filter(
    (p) =>
      !p.fingerprint &&
      !p.removedAt &&
      p.role === invite.role &&
      same(p.name, invite.name) &&
      (invite.role !== 'partner' || p.partnerId === invite.partnerId),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
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
  /** The invites last given to `sync`: the expiry timer re-syncs against them. */
  #invites: readonly Invite[] = [];
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Syncs run one after the other, so a timer firing during an invite change opens no lobby twice. */
  #queue: Promise<void> = Promise.resolve();
  #destroyed = false;

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

  /**
   * Opens lobbies for open invites and closes the others. An invite runs out while the
   * conference goes on, so a timer re-syncs at the earliest expiry: its lobby closes by itself.
   */
  sync(invites: readonly Invite[]): Promise<void> {
    this.#invites = invites;
    const run = this.#queue.then(() => this.#sync(this.#invites));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #schedule(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (this.#destroyed) return;
    const now = Date.now();
    const next = Math.min(...this.#invites.filter((i) => inviteOpen(i, now)).map((i) => i.expiresAt));
    if (!Number.isFinite(next)) return;
    this.#expiryTimer = setTimeout(() => void this.sync(this.#invites).catch(() => undefined), Math.min(next - now, MAX_DELAY));
  }

  async #sync(invites: readonly Invite[]): Promise<void> {
    if (this.#destroyed) return;
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
    this.#schedule();
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
    // The lobby may outlive the invite by a moment (the expiry timer has not fired yet, or
    // a withdrawal is still being written): the invite itself decides, checked right now.
    if (!lobby || !inviteOpen(lobby.invite)) throw new InviteClosedError();
    const device = { signKey: entry.keys.sign, agreeKey: entry.keys.agree, fingerprint: entry.fingerprint };
    // Someone the case already lists (written in before they first came to the table, e.g.
    // for acceptance) is the same person once their invite is used: their entry gets the
    // device, instead of a second entry splitting one person in two.
    const listed = listedBefore(this.#caseDoc.view().participants, entry.invite);
    const participantId = listed
      ? (this.#caseDoc.update('participants', listed.id, device), listed.id)
      : this.#caseDoc.add('participants', {
          fields: {
            name: entry.name,
            role: entry.invite.role,
            organisation: entry.invite.organisation || entry.organisation,
            ...(entry.invite.partnerId ? { partnerId: entry.invite.partnerId } : {}),
            ...device,
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
    this.#destroyed = true;
    clearTimeout(this.#expiryTimer);
    await this.#queue;
    for (const [id, lobby] of [...this.#lobbies]) await this.#close(id, lobby);
    this.#listeners.clear();
  }
}


import { Room } from 'y-webrtc';
import type * as Y from 'yjs';
import { deliveringPeer, withoutSendingTo } from './chunkedTransport.ts';

/**
 * y-webrtc passes every document and awareness update it applies on to every peer, also the
 * ones that just came from a peer. That relay is what carries an edit to someone this device
 * is linked to but its author is not. In a full mesh nobody needs it, and it is expensive: with
 * n people each keystroke crosses the network n·(n−1) times instead of n−1, and every page
 * decodes n−1 copies of it (on two cores, eight pages spent most of their time on those).
 *
 * So each participant tells the room, in its awareness state, how many peers it is linked to
 * (`links`, see ConferenceRoom). A received update is passed on only while someone is not
 * linked to everyone else, or says nothing (an older or stock client), or shares the room with
 * another tab. A link that dies silently is not known at once; when it is re-established, the
 * full state both sides send each other on a new channel (ConferenceRoom#greetNewChannels)
 * brings back what the relay would have carried.
 *
 * Where the relay is needed, an update still never goes back to the peer it came from: that
 * peer has it. (A late joiner passed the whole case back to the host, which then checked and
 * decoded it again while the joiner was laying it out.) Unless the document held updates that
 * waited for this one: then the update Yjs reports carries theirs too, which the sender may lack.
 */
export const LINKS_FIELD = 'links';

interface RoomInternals {
  doc: Y.Doc;
  awareness: { clientID: number; getStates(): Map<number, Record<string, unknown>> };
  webrtcConns: Map<string, { connected: boolean }>;
  bcConns: Set<string>;
  /** Yjs calls it with the document and transaction too ('update' event). */
  _docUpdateHandler: (update: Uint8Array, origin: unknown, doc?: Y.Doc, transaction?: Y.Transaction) => void;
  _awarenessUpdateHandler: (changes: unknown, origin: unknown) => void;
  __relayOnlyWhenNeeded?: true;
}

export function connectedLinks(room: Pick<RoomInternals, 'webrtcConns'>): number {
  let n = 0;
  for (const conn of room.webrtcConns.values()) if (conn.connected) n++;
  return n;
}

/** True while an update received from one peer may not reach all the others without this device. */
export function relayNeeded(room: Pick<RoomInternals, 'awareness' | 'webrtcConns' | 'bcConns'>): boolean {
  const states = room.awareness.getStates();
  const others = states.size - 1;
  if (others <= 0) return false;
  if (room.bcConns.size > 0) return true;
  for (const [id, state] of states) {
    const links = id === room.awareness.clientID ? connectedLinks(room) : state[LINKS_FIELD];
    if (typeof links !== 'number' || links < others) return true;
  }
  return false;
}

const connect = Room.prototype.connect;
Room.prototype.connect = function (this: Room) {
  const room = this as unknown as RoomInternals;
  if (!room.__relayOnlyWhenNeeded) {
    room.__relayOnlyWhenNeeded = true;
    const doc = room._docUpdateHandler;
    const awareness = room._awarenessUpdateHandler;
    // y-webrtc applies what peers send with the room as transaction (and awareness) origin.
    room._docUpdateHandler = (update, origin, _doc, transaction) => {
      if (origin !== this) return doc(update, origin);
      if (!relayNeeded(room)) return;
      const source = nothingWaited(transaction) ? deliveringPeer() : null;
      if (source) withoutSendingTo(source, () => doc(update, origin));
      else doc(update, origin);
    };
    room._awarenessUpdateHandler = (changes, origin) => {
      if (origin === this && !relayNeeded(room)) return;
      awareness(changes, origin);
    };
  }
  watchWaiting(room.doc);
  connect.call(this);
};

/**
 * Per transaction: whether no update waited when it began. Per transaction, not per document:
 * Yjs runs transactions of its own (formatting cleanup) while it reports an earlier one.
 */
const nothingWaiting = new WeakMap<Y.Transaction, boolean>();
const watched = new WeakSet<Y.Doc>();

/** Starts noting, for every transaction of `doc`, whether updates waited when it began. Once per document. */
export function watchWaiting(doc: Y.Doc): void {
  if (watched.has(doc)) return;
  watched.add(doc);
  // For the document's life: a listener on the document keeps nothing else alive.
  doc.on('beforeTransaction', (transaction: Y.Transaction) => {
    const store = transaction.doc.store;
    nothingWaiting.set(transaction, store.pendingStructs === null && store.pendingDs === null);
  });
}

/**
 * For the transaction an 'update' event reports: true when no update waited as it began, so the
 * update reported is exactly what was applied. (Unknown: false, the safe answer.)
 */
export function nothingWaited(transaction: Y.Transaction | undefined): boolean {
  return transaction !== undefined && nothingWaiting.get(transaction) === true;
}

import * as Y from 'yjs';

/**
 * Whether a peer's update may be applied to `doc`. Yjs updates carry no checksum, and Yjs
 * accepts some malformed ones (a flipped bit in a delete set, say) in a way that leaves a
 * document whose own encoded state no longer loads: the stored copy, backups and what late
 * joiners receive would all be broken. The wire cannot flip bits (DTLS); a broken or hostile
 * client can send such an update on purpose.
 *
 * Almost every update fits the document exactly: its items continue each author's clock from
 * what this document has, and it deletes only what is known here or in it. Those are applied
 * as they are. Anything else (an update that must wait for others, as happens when messages
 * take different paths; or one that refers to items nobody sent) is first tried on a copy,
 * whose state must then load into a new document and read the same.
 */
export function updateFits(doc: Y.Doc, update: Uint8Array): boolean {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return false;
  }
  // Read per author as needed: encoding the whole state vector for every keystroke cost each
  // receiver a twentieth of its script time in a conference (a case collects many authors).
  const known: Known = { get: (client) => Y.getState(doc.store, client) };
  const end = new Map<number, number>();
  let exact = true;
  const own = known.get(doc.clientID);
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    // Nobody else writes as this document's own client: whatever a peer claims beyond what this
    // document wrote itself is forged or broken. Accepted, even if it waits as pending, it takes
    // the clocks of this device's next own edits, and an edit made after it was lost on reload
    // (fuzzPeerUpdates.test.ts, seed 460818742). Refused outright, not tried on a copy: the copy
    // shows nothing wrong until this device writes again.
    if (client === doc.clientID && clock + struct.length > own) return false;
    const next = end.get(client) ?? known.get(client);
    // A gap before it, or a length that is no length: not integrable as it is.
    if (clock > next || !(struct.length > 0)) exact = false;
    end.set(client, Math.max(next, clock + struct.length));
    // Entirely known already: Yjs skips it (a peer's full state repeats what this device has,
    // a late joiner gets it twice), so its origins need no walk either.
    const skipped = clock + struct.length <= known.get(client);
    if (exact && !skipped && struct instanceof Y.Item) {
      if (!betweenItsOrigins(doc, known, struct) || overwritesBlindly(doc, known, struct)) exact = false;
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    // Deleting what this device has not written yet would delete its next own edits.
    if (client === doc.clientID && ranges.some((range) => range.clock + range.len > own)) return false;
    const limit = Math.max(end.get(client) ?? 0, known.get(client));
    for (const range of ranges) if (!(range.len > 0) || range.clock + range.len > limit) exact = false;
  }
  return exact || loadsAgain(doc, update);
}

/** What this document has of each author: the next clock it expects (0 for an unknown author). */
interface Known {
  get(client: number): number;
}

const MAX_WALK = 5_000;

/**
 * A map value written without naming the value it replaces, for a key that has one here. Two
 * devices setting a new key at once do that, rarely; a broken update does it too, and Yjs then
 * settles the conflict one way while applying and another way when the state is loaded. Such an
 * update goes to the slow check.
 */
function overwritesBlindly(doc: Y.Doc, known: Known, item: Y.Item): boolean {
  if (item.parentSub === null || item.origin !== null) return false;
  const parent = item.parent as unknown;
  let map: Map<string, unknown> | undefined;
  if (typeof parent === 'string') map = (doc.share.get(parent) as unknown as { _map?: Map<string, unknown> } | undefined)?._map;
  else if (parent && typeof parent === 'object' && 'client' in parent && 'clock' in parent) {
    const id = parent as Y.ID;
    if (id.clock >= known.get(id.client)) return false;
    const holder = Y.getItem(doc.store, id);
    map = holder instanceof Y.Item ? (holder.content as unknown as { type?: { _map?: Map<string, unknown> } }).type?._map : undefined;
  }
  return map?.has(item.parentSub) ?? false;
}

/**
 * An item is inserted between its left and its right origin, and the left one must come before
 * the right one in the document. A peer can claim otherwise (the same item twice, or the right
 * one before the left): Yjs places the item somewhere, and the state then loads in another
 * order than the document shows, on this device and on everyone's who loads it. False sends the
 * update to the slow check. Origins inside the update itself cannot be looked up before it is
 * applied; they are not checked here.
 */
function betweenItsOrigins(doc: Y.Doc, known: Known, item: Y.Item): boolean {
  const { origin, rightOrigin } = item;
  if (!origin || !rightOrigin) return true;
  if (origin.client === rightOrigin.client && origin.clock === rightOrigin.clock) return false;
  const has = (id: Y.ID) => id.clock < known.get(id.client);
  if (!has(origin) || !has(rightOrigin)) return true;
  const left = Y.getItem(doc.store, origin);
  const right = Y.getItem(doc.store, rightOrigin);
  if (!(left instanceof Y.Item) || !(right instanceof Y.Item)) return true;
  if (left === right) return rightOrigin.clock > origin.clock;
  if (left.parent !== right.parent || left.parentSub !== right.parentSub) return false;
  let at = left.right;
  for (let steps = 0; at && steps < MAX_WALK; steps++, at = at.right) if (at === right) return true;
  return false;
}

/**
 * The slow check: apply to a copy; its state must load into a new document, which must read
 * the same (every root typed as this document types it).
 */
function loadsAgain(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, update);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(copy));
    for (const [name, type] of doc.share) {
      const kind = type.constructor as new () => Y.AbstractType<Y.YEvent<never>>;
      if (!same(copy.get(name, kind).toJSON(), reloaded.get(name, kind).toJSON())) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Deep equality where a map's keys may come in any order: Yjs orders them by arrival, which
 * differs between applying updates one by one and loading the whole state.
 */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

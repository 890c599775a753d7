import * as Y from 'yjs';
import { utf8 } from '../crypto/bytes.ts';
import { canonicalJson, sha256Base64Url } from '../crypto/canonical.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import type { DocManifest, HandoverOffer } from '../domain/handover.ts';
import { RICH_TEXT_FIELDS, ROOT } from '../case/layout.ts';

/**
 * The proof that a copy of a case equals the copy that was offered (issue 7, step 3).
 *
 * Writing the offer and the receipt into the shared document changes that document, so the
 * proof leaves the `handover` map out and fixes the offered state by its state vector:
 *   - coverage: the copy holds every update the offering device held (state vector ≥ offer's);
 *   - nothing else: every update the copy holds beyond the offer's state vector belongs to the
 *     `handover` map (the offer, the receipt, the record being written);
 *   - snapshot: the SHA-256 of the Yjs snapshot at the offer's state vector, with the delete set
 *     cut to that state vector and without deletions inside the `handover` map, is the same
 *     (`Y.encodeSnapshot` writes clients in a fixed order, so equal states hash equally);
 *   - content: the SHA-256 of the documents' content as canonical JSON is the same.
 * Scope documents (no handover entries) are compared the same way.
 */

type AnyType = Y.AbstractType<unknown>;

/** True when `item` lives (at any depth) in the root type `root`. */
function inRoot(item: Y.Item, root: AnyType | undefined): boolean {
  if (!root) return false;
  let parent: unknown = item.parent;
  while (parent instanceof Y.AbstractType && parent._item) parent = parent._item.parent;
  return parent === root;
}

function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/**
 * The delete set of `doc` up to `limit` (client → clock), without items of the handover map,
 * as ranges merged where they touch: the same deletions give the same ranges on every copy,
 * however the items were split or merged there.
 */
function caseDeleteSet(doc: Y.Doc, limit: Map<number, number>): ReturnType<typeof Y.createDeleteSet> {
  const handover = doc.share.get(ROOT.handover) as AnyType | undefined;
  const ds = Y.createDeleteSet();
  for (const [client, structs] of doc.store.clients) {
    const max = limit.get(client) ?? 0;
    const ranges: { clock: number; len: number }[] = [];
    for (const struct of structs) {
      const clock = struct.id.clock;
      if (clock >= max) break;
      if (!struct.deleted) continue;
      // A collected (GC) struct has lost its parent: it counts as case content on every copy.
      if (struct instanceof Y.Item && inRoot(struct, handover)) continue;
      const end = Math.min(clock + struct.length, max);
      const last = ranges.at(-1);
      if (last && last.clock + last.len === clock) last.len = end - last.clock;
      else ranges.push({ clock, len: end - clock });
    }
    if (ranges.length > 0) ds.clients.set(client, ranges as never);
  }
  return ds;
}

/** The snapshot of the case part of `doc` at state vector `sv`, encoded (deterministic). */
export function caseSnapshot(doc: Y.Doc, sv: Map<number, number> = stateVectorOf(doc)): Uint8Array {
  return Y.encodeSnapshot(Y.createSnapshot(caseDeleteSet(doc, sv), sv));
}

/** JSON of a value Yjs returned: bytes as base64url, undefined members dropped. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Uint8Array) return { bytes: toBase64Url(value) };
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = jsonSafe(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** The content of one root type; roots not yet typed on this copy are typed by their shape. */
function rootJson(doc: Y.Doc, name: string): unknown {
  if ((RICH_TEXT_FIELDS as readonly string[]).includes(name)) return doc.getXmlFragment(name).toString();
  const type = doc.share.get(name)!;
  if (type instanceof Y.Map || type instanceof Y.Array) return type.toJSON();
  if (type instanceof Y.Text || type instanceof Y.XmlFragment) return type.toString();
  if (type._map.size > 0) return doc.getMap(name).toJSON();
  return type._length;
}

function empty(value: unknown): boolean {
  return value === '' || value === 0 || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

/** Every root of `doc` except the handover map, as canonical JSON. */
export function caseContent(doc: Y.Doc): string {
  const out: Record<string, unknown> = {};
  for (const name of [...doc.share.keys()].sort()) {
    if (name === ROOT.handover) continue;
    const value = jsonSafe(rootJson(doc, name));
    if (!empty(value)) out[name] = value;
  }
  return canonicalJson(out);
}

/** What one document looks like now, for an offer. */
export async function manifestOf(scope: string, doc: Y.Doc): Promise<DocManifest> {
  return {
    scope,
    stateVector: toBase64Url(Y.encodeStateVector(doc)),
    snapshot: await sha256Base64Url(caseSnapshot(doc)),
    content: await sha256Base64Url(utf8(caseContent(doc))),
  };
}

export type CopyProblem = 'missing' | 'behind' | 'extra' | 'snapshot' | 'content';

export interface CopyCheck {
  ok: boolean;
  /** Per offered document that does not match: its scope and what differs. */
  problems: { scope: string; problem: CopyProblem }[];
}

/** Updates this copy holds beyond `limit` that are not inside the handover map. */
function holdsMoreThanHandover(doc: Y.Doc, limit: Map<number, number>): boolean {
  const handover = doc.share.get(ROOT.handover) as AnyType | undefined;
  for (const [client, structs] of doc.store.clients) {
    const max = limit.get(client) ?? 0;
    for (let i = structs.length - 1; i >= 0; i--) {
      const struct = structs[i]!;
      if (struct.id.clock + struct.length <= max) break;
      if (!(struct instanceof Y.Item) || !inRoot(struct, handover)) return true;
    }
  }
  return false;
}

/** Compares one document of this copy with its manifest. */
export async function checkDoc(manifest: DocManifest, doc: Y.Doc | undefined): Promise<CopyProblem | null> {
  if (!doc) return 'missing';
  let offered: Map<number, number>;
  try {
    offered = Y.decodeStateVector(fromBase64Url(manifest.stateVector));
  } catch {
    return 'snapshot';
  }
  const here = stateVectorOf(doc);
  for (const [client, clock] of offered) if ((here.get(client) ?? 0) < clock) return 'behind';
  if (holdsMoreThanHandover(doc, offered)) return 'extra';
  if ((await sha256Base64Url(caseSnapshot(doc, offered))) !== manifest.snapshot) return 'snapshot';
  if ((await sha256Base64Url(utf8(caseContent(doc)))) !== manifest.content) return 'content';
  return null;
}

/** Compares this copy (scope → document) with every document of the offer. */
export async function checkCopy(offer: Pick<HandoverOffer, 'docs'>, docs: ReadonlyMap<string, Y.Doc>): Promise<CopyCheck> {
  const problems: CopyCheck['problems'] = [];
  for (const manifest of offer.docs) {
    const problem = await checkDoc(manifest, docs.get(manifest.scope));
    if (problem) problems.push({ scope: manifest.scope, problem });
  }
  return { ok: problems.length === 0, problems };
}

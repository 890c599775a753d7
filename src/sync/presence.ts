import { z } from 'zod';
import { Role } from '../domain/roles.ts';

/** Colours with at least 4.5:1 contrast against white, so names drawn in them stay readable. */
export const PRESENCE_COLOURS = ['#b3261e', '#1f5fbf', '#2e7d32', '#8e24aa', '#a64d00', '#00796b', '#c2185b', '#455a64'];

export function colourFor(seed: number): string {
  return PRESENCE_COLOURS[Math.abs(seed) % PRESENCE_COLOURS.length]!;
}

/**
 * This participant's colour given the others present: on a clash the higher client id gives
 * way and takes the first free colour, so every pair at the table is told apart by colour too.
 */
export function distinctColour(selfId: number, current: string, others: readonly { clientId: number; color: string }[]): string {
  const clash = others.some((p) => p.color === current && p.clientId < selfId);
  if (!clash) return current;
  const used = new Set(others.map((p) => p.color));
  return PRESENCE_COLOURS.find((c) => !used.has(c)) ?? current;
}

/** The awareness field `user` (the name CollaborationCaret reads) as peers send it. */
export const PresenceUser = z.object({
  name: z.string().trim().min(1).max(200),
  role: Role,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  /** The device's key fingerprint; a label a peer claims, checked against admission records. */
  fingerprint: z.string().max(100).optional(),
});
export type PresenceUser = z.infer<typeof PresenceUser>;

export interface Participant extends PresenceUser {
  clientId: number;
  self: boolean;
}

/** Validated participants from raw awareness states; malformed states are left out. */
export function participantsFrom(states: Map<number, Record<string, unknown>>, selfId: number): Participant[] {
  const out: Participant[] = [];
  for (const [clientId, state] of states) {
    const parsed = PresenceUser.safeParse(state?.['user']);
    if (parsed.success) out.push({ ...parsed.data, clientId, self: clientId === selfId });
  }
  return out.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'de'));
}

/**
 * The participants list, kept from awareness changes: only the client ids a change names are
 * read again, and only a change of someone's `user` field changes the list. Caret moves (the
 * `cursor` field) come with every keystroke of everyone typing; with eight at the table,
 * validating and sorting everyone on each of them was work on every page for every keystroke.
 */
export class PresenceList {
  #entries = new Map<number, { key: string; participant: Participant | null }>();
  #list: Participant[] = [];

  /** Validated, self first, then by name (as participantsFrom). Replaced, never mutated. */
  get list(): Participant[] {
    return this.#list;
  }

  /** Reads the given client ids again from `states`; true when the list changed. */
  update(states: Map<number, Record<string, unknown>>, selfId: number, changed: Iterable<number>): boolean {
    let dirty = false;
    for (const clientId of changed) {
      const before = this.#entries.get(clientId);
      if (!states.has(clientId)) {
        this.#entries.delete(clientId);
        if (before?.participant) dirty = true;
        continue;
      }
      const user = states.get(clientId)?.['user'];
      const key = JSON.stringify(user) ?? '';
      if (before && before.key === key) continue;
      const parsed = PresenceUser.safeParse(user);
      const participant = parsed.success ? { ...parsed.data, clientId, self: clientId === selfId } : null;
      this.#entries.set(clientId, { key, participant });
      if (before?.participant || participant) dirty = true;
    }
    if (dirty) {
      const present = [...this.#entries.values()].flatMap((e) => (e.participant ? [e.participant] : []));
      this.#list = present.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'de'));
    }
    return dirty;
  }
}

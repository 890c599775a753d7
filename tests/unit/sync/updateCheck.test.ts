import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { updateFits } from '../../../src/sync/updateCheck.ts';

/** A small case-like document from one device, and a peer's next update to it. */
function scene(): { base: Uint8Array; update: Uint8Array } {
  const a = new Y.Doc();
  a.clientID = 101;
  a.getMap('meta').set('displayName', 'Jonas B.');
  const goal = new Y.Map<unknown>();
  a.getMap('goals').set('g1', goal);
  goal.set('title', 'Ausbildung als Kfz-Mechatroniker');
  const text = new Y.Text('Ich will schrauben');
  goal.set('clientWords', text);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Wohnt bei der Schwester')]);
  a.getXmlFragment('ausgangslage').insert(0, [paragraph]);
  const base = Y.encodeStateAsUpdate(a);

  const b = new Y.Doc();
  b.clientID = 202;
  Y.applyUpdate(b, base);
  const sv = Y.encodeStateVector(b);
  const bGoal = b.getMap('goals').get('g1') as Y.Map<unknown>;
  (bGoal.get('clientWords') as Y.Text).delete(4, 5);
  (bGoal.get('clientWords') as Y.Text).insert(4, 'möchte');
  bGoal.set('status', 'offen');
  return { base, update: Y.encodeStateAsUpdate(b, sv) };
}

function load(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta');
  doc.getMap('goals');
  doc.getXmlFragment('ausgangslage');
  Y.applyUpdate(doc, state);
  return doc;
}

function contents(doc: Y.Doc): string {
  return JSON.stringify([doc.getMap('meta').toJSON(), doc.getMap('goals').toJSON(), doc.getXmlFragment('ausgangslage').toJSON()]);
}

/** Applied as y-protocols does (a throw drops the message); then: does the state load again, the same? */
function breaks(base: Uint8Array, update: Uint8Array, gate: boolean): boolean {
  const doc = load(base);
  if (gate && !updateFits(doc, update)) return false;
  try {
    Y.applyUpdate(doc, update);
  } catch {
    return false;
  }
  try {
    return contents(load(Y.encodeStateAsUpdate(doc))) !== contents(doc);
  } catch {
    return true;
  }
}

describe('updateFits: a peer update that would leave the document unable to load is refused', () => {
  const { base, update } = scene();
  const flips = Array.from({ length: update.length * 8 }, (_, i) => update.map((byte, at) => (at === i >> 3 ? byte ^ (1 << (i & 7)) : byte)));

  it('an ordinary update fits and is applied as it is', () => {
    expect(updateFits(load(base), update)).toBe(true);
    expect(breaks(base, update, true)).toBe(false);
  });

  it('Yjs alone takes in some single-bit flips of it after which the state no longer loads (why the check exists)', () => {
    expect(flips.filter((flipped) => breaks(base, flipped, false)).length).toBeGreaterThan(0);
  });

  it('with the check, no single-bit flip of it leaves a document that does not load again, the same', () => {
    expect(flips.map((flipped, i) => (breaks(base, flipped, true) ? i : -1)).filter((i) => i >= 0)).toEqual([]);
  });

  it('an update that must wait for another (it continues a clock this document has not reached) is still taken', () => {
    const c = new Y.Doc();
    c.clientID = 303;
    Y.applyUpdate(c, base);
    const sv0 = Y.encodeStateVector(c);
    c.getMap('meta').set('team', 'U25');
    const sv1 = Y.encodeStateVector(c);
    c.getMap('meta').set('team', 'Ü25');
    const later = Y.encodeStateAsUpdate(c, sv1);
    const doc = load(base);
    expect(updateFits(doc, later)).toBe(true);
    Y.applyUpdate(doc, later);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(c, sv0));
    expect(doc.getMap('meta').get('team')).toBe('Ü25');
  });

  it('devices that set the same new keys at once (a conflict Yjs settles) still fit, whatever order the keys arrive in', () => {
    const a = load(base);
    const b = load(base);
    for (const [doc, who] of [[a, 'a'], [b, 'b']] as const) {
      const goals = doc.getMap('goals');
      for (const key of ['g2', 'g3', 'g4']) goals.set(key, `${key} von ${who}`);
    }
    const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    expect(updateFits(a, fromB)).toBe(true);
    Y.applyUpdate(a, fromB);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(contents(a)).toBe(contents(b));
  });
});

describe('updateFits: nobody writes or deletes as this device', () => {
  /**
   * This device (client 101) and what a peer claims it wrote next: items in its own name,
   * beyond what it wrote. Accepted, they would take the clocks of its next own edit.
   */
  function forgedAsMe(): { victim: Y.Doc; forged: Uint8Array; deleting: Uint8Array } {
    const victim = new Y.Doc();
    victim.clientID = 101;
    victim.getMap('goals').set('g1', 'Ausbildung');
    const impostor = new Y.Doc();
    Y.applyUpdate(impostor, Y.encodeStateAsUpdate(victim));
    const sv = Y.encodeStateVector(impostor);
    impostor.clientID = 101;
    impostor.getMap('goals').set('g2', 'vom Angreifer');
    const forged = Y.encodeStateAsUpdate(impostor, sv);
    // The same impostor deleting what it wrote, sent as the delete set alone (no items): it
    // names clocks 101 has not reached.
    impostor.getMap('goals').delete('g2');
    const deleting = Y.encodeStateAsUpdate(impostor, Y.encodeStateVector(impostor));
    return { victim, forged, deleting };
  }

  it('items in this device’s name beyond what it wrote are refused', () => {
    const { victim, forged } = forgedAsMe();
    expect(updateFits(victim, forged)).toBe(false);
  });

  it('a delete set for clocks this device has not written yet is refused', () => {
    const { victim, deleting } = forgedAsMe();
    expect(updateFits(victim, deleting)).toBe(false);
  });

  it('its own items a peer sends back (already known here) still fit', () => {
    const { victim } = forgedAsMe();
    expect(updateFits(victim, Y.encodeStateAsUpdate(victim))).toBe(true);
  });
});

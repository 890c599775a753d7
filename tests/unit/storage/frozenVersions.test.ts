import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { keepVersions, loadKeptVersions } from '../../../src/storage/frozenVersions.ts';
import { localDocKey } from '../../../src/storage/localRecords.ts';
import type { FrozenVersion } from '../../../src/domain/versions.ts';

const caseId = '5b7c6f0e-2d4b-4c8a-9d7e-0f1a2b3c4d5e';
const person = '11111111-1111-4111-8111-111111111111';

let dbs: RunderTischDb[] = [];
function openDb(): RunderTischDb {
  const db = new RunderTischDb(`test-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) db.close();
  for (const db of dbs) await Dexie.delete(db.name);
  dbs = [];
});

function version(number: number, title: string, forCase = caseId): FrozenVersion {
  return {
    number,
    proposedAt: 1,
    proposedBy: person,
    hash: 'A'.repeat(43),
    frozenAt: 2,
    content: {
      format: 1,
      caseId: forCase,
      caseName: 'Jonas B.',
      team: 'U25',
      participants: [{ id: person, name: 'Frau Wagner', role: 'fallmanager', organisation: '', fingerprint: '' }],
      goals: [{ id: '33333333-3333-4333-8333-333333333333', level: 'haupt', priority: 1, title, clientWords: '', indicator: '', status: 'offen', missedReason: '' }],
      steps: [],
      situation: '',
      reasons: {},
      withheld: 0,
    },
    signatures: [{ kind: 'accept', number, participantId: person, hash: 'A'.repeat(43), at: 2, signKey: 'k'.repeat(80), signature: 's'.repeat(86) }],
  };
}

describe('kept copies of frozen versions', () => {
  it('keeps the first copy of each number and never replaces it', async () => {
    const db = openDb();
    await keepVersions(db, caseId, [version(1, 'Ausbildung beginnen')]);
    const kept = await keepVersions(db, caseId, [version(1, 'Ausbildung abbrechen'), version(2, 'Wohnung finden')]);
    expect([...kept.entries()].map(([n, v]) => [n, v.content.goals[0]!.title])).toEqual([
      [1, 'Ausbildung beginnen'],
      [2, 'Wohnung finden'],
    ]);
  });

  it('ignores another case’s version and rows that do not validate', async () => {
    const db = openDb();
    await keepVersions(db, caseId, [version(1, 'fremd', '6c8d7a1f-3e5c-4d9b-8e8f-1a2b3c4d5e6f')]);
    await db.updates.add({ docKey: localDocKey(caseId, 'frozen'), update: new TextEncoder().encode(JSON.stringify({ ...version(3, 'x'), hash: 'kurz' })) });
    await db.updates.add({ docKey: localDocKey(caseId, 'frozen'), update: new TextEncoder().encode('not json') });
    expect((await loadKeptVersions(db, caseId)).size).toBe(0);
    await expect(keepVersions(db, caseId, [{ ...version(4, 'y'), number: -1 }])).rejects.toThrow();
  });
});

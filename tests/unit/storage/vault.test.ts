import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PBKDF2_ITERATIONS } from '../../../src/crypto/passphrase.ts';
import { getCase, listCases, putCase, updateCase } from '../../../src/storage/caseIndex.ts';
import { sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import {
  VAULT_KEY,
  VaultChangedError,
  VaultLockedError,
  WrongPassphraseError,
  type VaultEvent,
} from '../../../src/storage/vault.ts';

// Correctness does not depend on the PBKDF2 work factor; one test checks the default.
const FAST = { vault: { iterations: 1_000 } };
const SECRET = 'Schuldnerberatung Zebrafink';
const NAME = 'Jonas Zebrafink';

let names = new Set<string>();
let dbs: RunderTischDb[] = [];
function openDb(name = `test-${crypto.randomUUID()}`, options = FAST): RunderTischDb {
  const db = new RunderTischDb(name, options);
  names.add(name);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) db.close();
  for (const name of names) await Dexie.delete(name);
  dbs = [];
  names = new Set();
});

const caseId = '5b7c6f0e-2d4b-4c8a-9d7e-0f1a2b3c4d5e';
const otherId = '6c8d7a1f-3e5c-4d9b-8e8f-1a2b3c4d5e6f';

/** A case with a stored document containing SECRET. */
async function seed(db: RunderTischDb): Promise<void> {
  await putCase(db, {
    id: caseId,
    displayName: NAME,
    team: 'U25',
    birthMonth: '2002-04',
    createdAt: 1,
    updatedAt: 2,
    me: { name: 'Frau Aydin', role: 'fallmanager' },
  });
  await putCase(db, { id: otherId, displayName: 'Zweiter Fall', team: 'Ü25', createdAt: 1, updatedAt: 5 });
  const doc = new Y.Doc();
  const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  doc.getText('t').insert(0, SECRET);
  await p.whenSaved();
  doc.getText('t').insert(0, '1: ');
  await p.whenSaved();
  p.destroy();
}

async function docText(db: RunderTischDb): Promise<string> {
  const doc = new Y.Doc();
  const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  p.destroy();
  return doc.getText('t').toString();
}

/** Every stored value of every table as text (bytes decoded as UTF-8), to look for plaintext. */
async function rawText(db: RunderTischDb): Promise<string> {
  const tables = await Promise.all([db.cases.toArray(), db.updates.toArray(), db.settings.toArray()]);
  return JSON.stringify(tables, (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
}

async function rawRows(db: RunderTischDb): Promise<string> {
  const tables = await Promise.all([db.cases.toArray(), db.updates.toArray(), db.settings.toArray()]);
  return JSON.stringify(tables, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
}

describe('vault: device passphrase', () => {
  it('without a passphrase stores plain rows (the plaintext check below can see text)', async () => {
    const db = openDb();
    await seed(db);
    expect(await db.vault.ready()).toBe('none');
    const raw = await rawText(db);
    expect(raw).toContain(SECRET);
    expect(raw).toContain(NAME);
  });

  it('set: all data stays readable, stored rows contain no plaintext', async () => {
    const db = openDb();
    await seed(db);
    const report = await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    expect(report).toEqual({ rewritten: 4, unreadable: 0 }); // 2 update rows, 2 case records
    expect(db.vault.status).toBe('unlocked');

    const raw = await rawText(db);
    for (const text of [SECRET, NAME, 'Zebrafink', 'Aydin', '2002-04', 'Zweiter Fall']) expect(raw).not.toContain(text);
    expect(await db.updates.filter((row) => row.update !== undefined).count()).toBe(0);
    expect(await db.cases.filter((row) => !('sealed' in row)).count()).toBe(0);

    expect(await docText(db)).toBe(`1: ${SECRET}`);
    const list = await listCases(db);
    expect(list.map((c) => c.displayName)).toEqual(['Zweiter Fall', NAME]); // still by updatedAt
    expect(await getCase(db, caseId)).toMatchObject({ displayName: NAME, birthMonth: '2002-04', me: { name: 'Frau Aydin' } });
  });

  it('many writes of one case record at once in this tab all land, none made to start over and give up', async () => {
    const db = openDb();
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    await seed(db);
    const writes = Array.from({ length: 40 }, () => updateCase(db, caseId, (r) => ({ ...r, updatedAt: r.updatedAt + 1 })));
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await getCase(db, caseId))?.updatedAt).toBe(2 + 40);
  });

  it('new writes are encrypted too, and the list keeps sorting by updatedAt', async () => {
    const db = openDb();
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    await seed(db);
    await updateCase(db, caseId, (r) => ({ ...r, updatedAt: 10, displayName: `${NAME} neu` }));
    expect((await listCases(db)).map((c) => c.displayName)).toEqual([`${NAME} neu`, 'Zweiter Fall']);
    expect(await docText(db)).toBe(`1: ${SECRET}`);
    expect(await rawText(db)).not.toContain('Zebrafink');
  });

  it('a reopened database is locked; a wrong passphrase changes nothing; the right one opens it', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = openDb(name);
    await seed(first);
    await first.vault.setPassphrase(undefined, 'richtig-richtig');
    first.close();

    const db = openDb(name);
    expect(await db.vault.ready()).toBe('locked');
    await expect(listCases(db)).rejects.toBeInstanceOf(VaultLockedError);
    await expect(DocPersistence.open(db, sharedDocKey(caseId), new Y.Doc())).rejects.toBeInstanceOf(VaultLockedError);
    await expect(putCase(db, { id: otherId, displayName: 'x', team: 'U25', createdAt: 1, updatedAt: 1 })).rejects.toBeInstanceOf(
      VaultLockedError,
    );

    const before = await rawRows(db);
    expect(await db.vault.unlock('falsch-falsch')).toBe(false);
    expect(db.vault.status).toBe('locked');
    expect(await rawRows(db)).toBe(before);

    expect(await db.vault.unlock('richtig-richtig')).toBe(true);
    expect(db.vault.status).toBe('unlocked');
    expect(await docText(db)).toBe(`1: ${SECRET}`);
    expect((await listCases(db)).map((c) => c.id)).toEqual([otherId, caseId]);
  });

  it('change and remove with a wrong passphrase throw and change nothing', async () => {
    const db = openDb();
    await seed(db);
    await db.vault.setPassphrase(undefined, 'erstes Passwort');
    const before = await rawRows(db);
    await expect(db.vault.setPassphrase('falsch', 'zweites Passwort')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(db.vault.setPassphrase(undefined, 'zweites Passwort')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(db.vault.setPassphrase('falsch', null)).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(await rawRows(db)).toBe(before);
    expect(db.vault.status).toBe('unlocked');
    expect(await docText(db)).toBe(`1: ${SECRET}`);
  });

  it('change: the old passphrase no longer opens, the new one does, all data readable', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = openDb(name);
    await seed(db);
    await db.vault.setPassphrase(undefined, 'erstes Passwort');
    const sealedBefore = (await db.updates.toArray()).map((r) => r.sealed);
    await db.vault.setPassphrase('erstes Passwort', 'zweites Passwort');
    const sealedAfter = (await db.updates.toArray()).map((r) => r.sealed);
    expect(sealedAfter).not.toEqual(sealedBefore); // really re-encrypted
    expect(await docText(db)).toBe(`1: ${SECRET}`);
    db.close();

    const again = openDb(name);
    expect(await again.vault.unlock('erstes Passwort')).toBe(false);
    expect(await again.vault.unlock('zweites Passwort')).toBe(true);
    expect(await docText(again)).toBe(`1: ${SECRET}`);
    expect(await getCase(again, caseId)).toMatchObject({ displayName: NAME });
    expect(await rawText(again)).not.toContain('Zebrafink');
  });

  it('remove: data is plain again and opens without a passphrase', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = openDb(name);
    await seed(db);
    await db.vault.setPassphrase(undefined, 'erstes Passwort');
    await db.vault.setPassphrase('erstes Passwort', null);
    expect(db.vault.status).toBe('none');
    expect(await rawText(db)).toContain(SECRET);
    db.close();

    const again = openDb(name);
    expect(await again.vault.ready()).toBe('none');
    expect(await docText(again)).toBe(`1: ${SECRET}`);
    expect((await listCases(again)).map((c) => c.displayName)).toEqual(['Zweiter Fall', NAME]);
    // Set again after removal: a fresh salt and generation, data still fine.
    await again.vault.setPassphrase(undefined, 'drittes Passwort');
    expect(await docText(again)).toBe(`1: ${SECRET}`);
  });

  it('keeps unreadable rows exactly as they are through a change, and still reports them', async () => {
    const db = openDb();
    await seed(db);
    const garbage = await db.updates.add({ docKey: sharedDocKey(caseId), update: new Uint8Array([255, 1, 2]) });
    const junkRow = await db.updates.add({ docKey: sharedDocKey(caseId), update: 'not bytes' as unknown as Uint8Array });
    const report = await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    // The garbage bytes are valid bytes (encrypted like any row); the junk row is unreadable.
    expect(report.unreadable).toBe(1);
    expect((await db.updates.get(junkRow))?.update).toBe('not bytes');

    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    expect(doc.getText('t').toString()).toBe(`1: ${SECRET}`);
    expect(p.corruptRows.sort()).toEqual([garbage, junkRow].sort());
    await p.compact();
    expect(await db.updates.get(garbage)).toBeDefined();
    expect(await db.updates.get(junkRow)).toBeDefined();
    p.destroy();
  });

  it('a tampered encrypted row is reported and kept, the rest loads', async () => {
    const db = openDb();
    await seed(db);
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    const rows = await db.updates.toArray();
    const victim = rows[rows.length - 1]!;
    const flipped = victim.sealed!.slice();
    flipped[20]! ^= 1;
    await db.updates.put({ ...victim, sealed: flipped });
    // A plaintext row among encrypted ones is not accepted either.
    const plain = await db.updates.add({ docKey: sharedDocKey(caseId), update: Y.encodeStateAsUpdate(new Y.Doc()) });

    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    expect(p.corruptRows.sort()).toEqual([victim.seq!, plain].sort());
    expect(await db.updates.get(victim.seq!)).toBeDefined();
    p.destroy();
  });

  it('compaction keeps everything encrypted and readable', async () => {
    const db = openDb();
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    await seed(db);
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    await p.compact();
    p.destroy();
    const rows = await db.updates.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed).toBeInstanceOf(Uint8Array);
    expect(await docText(db)).toBe(`1: ${SECRET}`);
  });

  it('edits made while the passphrase is being set are not lost and land encrypted', async () => {
    const db = openDb();
    await seed(db);
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    const change = db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    for (let i = 0; i < 20; i++) {
      doc.getText('t').insert(0, 'x');
      await new Promise((r) => setTimeout(r, 0));
    }
    await change;
    await p.whenSaved();
    p.destroy();
    expect(await docText(db)).toBe(`${'x'.repeat(20)}1: ${SECRET}`);
    expect(await db.updates.filter((row) => row.update !== undefined).count()).toBe(0);
  });

  it('lock() writes pending edits first, then refuses reads and writes', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = openDb(name);
    await seed(db);
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    const events: VaultEvent[] = [];
    db.vault.subscribe((e) => events.push(e));
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
    doc.getText('t').insert(0, 'zuletzt ');
    await db.vault.lock();
    expect(events).toEqual(['locked']);
    expect(db.vault.status).toBe('locked');
    await expect(listCases(db)).rejects.toBeInstanceOf(VaultLockedError);
    p.destroy();

    const again = openDb(name);
    expect(await again.vault.unlock('Sonnenblume 42')).toBe(true);
    expect(await docText(again)).toBe(`zuletzt 1: ${SECRET}`);
  });

  it('a tab that missed the change cannot write plaintext next to encrypted data', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const tabA = openDb(name);
    const tabB = openDb(name);
    await seed(tabA);
    const doc = new Y.Doc();
    const stale = await DocPersistence.open(tabB, sharedDocKey(caseId), doc); // plain mode
    const events: VaultEvent[] = [];
    tabB.vault.subscribe((e) => events.push(e));

    await tabA.vault.setPassphrase(undefined, 'Sonnenblume 42');
    doc.getText('t').insert(0, 'aus dem alten Tab ');
    await expect(stale.whenSaved()).rejects.toThrow(/changed/);
    expect(events).toContain('stale');
    await expect(updateCase(tabB, caseId, (r) => r)).rejects.toThrow();
    expect(await tabA.updates.filter((row) => row.update !== undefined).count()).toBe(0);
    expect(await rawText(tabA)).not.toContain('alten Tab');
    stale.destroy();
  });

  it('rejects a second change while one is running', async () => {
    const db = openDb();
    const first = db.vault.setPassphrase(undefined, 'eins eins');
    await expect(db.vault.setPassphrase(undefined, 'zwei zwei')).rejects.toThrow(/already running/);
    await first;
    expect(await db.vault.unlock('eins eins')).toBe(true);
  });

  it('uses at least 600,000 PBKDF2 iterations by default', async () => {
    const db = openDb(undefined, {} as typeof FAST);
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    const row = (await db.settings.get(VAULT_KEY))?.value as { lock: { iterations: number; salt: Uint8Array } };
    expect(row.lock.iterations).toBeGreaterThanOrEqual(PBKDF2_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(row.lock.salt).toHaveLength(16);
  });

  it('VaultChangedError names the problem', () => {
    expect(new VaultChangedError().message).toMatch(/changed/);
  });
});

describe('vault: looking does not create', () => {
  it('reading the lock state of a device without data creates no database', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = openDb(name);
    expect(await db.vault.ready()).toBe('none');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name);
    await putCase(db, { id: caseId, displayName: NAME, team: 'U25', createdAt: 1, updatedAt: 1 });
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(name);
  });
});

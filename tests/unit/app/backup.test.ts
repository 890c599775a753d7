import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCase } from '../../../src/app/createCase.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { readCase } from '../../../src/case/read.ts';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { encryptFile, parseEncryptedFile } from '../../../src/crypto/fileCrypto.ts';
import { PBKDF2_ITERATIONS } from '../../../src/crypto/passphrase.ts';
import { BackupError, exportBackup, importBackup } from '../../../src/app/backup.ts';
import { backupDue, loadBackupStatus, saveRemindDays } from '../../../src/storage/backupSettings.ts';
import { getCase, listCases } from '../../../src/storage/caseIndex.ts';
import { scopeDocKey, sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';

const FAST = { iterations: 1_000 };
const PASS = 'Sicherung Zebrafink 2026';

let dbs: RunderTischDb[] = [];
function freshDb(): RunderTischDb {
  const db = new RunderTischDb(`test-${crypto.randomUUID()}`, { vault: { iterations: 1_000 } });
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) await db.delete();
  dbs = [];
});

/** Opens the case's shared and confidential documents from storage, runs `fn`, saves. */
async function withCase<T>(db: RunderTischDb, caseId: string, fn: (c: CaseDocument, shared: Y.Doc) => T): Promise<T> {
  const shared = new Y.Doc();
  const secret = new Y.Doc();
  const p1 = await DocPersistence.open(db, sharedDocKey(caseId), shared);
  const p2 = await DocPersistence.open(db, scopeDocKey(caseId, 'confidential'), secret);
  const c = new CaseDocument(shared, [['confidential', secret]]);
  const result = fn(c, shared);
  await p1.whenSaved();
  await p2.whenSaved();
  p1.destroy();
  p2.destroy();
  c.destroy();
  return result;
}

async function seed(db: RunderTischDb, name = 'Jonas Z.') {
  const id = await createCase(db, { displayName: name, team: 'U25' });
  await withCase(db, id, (c, doc) => {
    c.addGoal('haupt', 'Ausbildung als Tischler');
    c.addStep('Bewerbung schreiben');
    c.add('assessment', { texts: { clientView: 'Rücken' }, fields: { domain: 'gesundheit', kind: 'bedarf' } }, 'confidential');
    const fragment = doc.getXmlFragment('ausgangslage');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Lage vom Erstgespräch')]);
    fragment.insert(0, [p]);
  });
  return id;
}

async function read(db: RunderTischDb, caseId: string) {
  return withCase(db, caseId, (c, doc) => {
    const view = c.view();
    return {
      goals: view.goals.map((g) => g.title).sort(),
      steps: view.steps.map((s) => s.what).sort(),
      assessment: view.assessment.length,
      scopes: Object.values(view.scopes),
      text: doc.getXmlFragment('ausgangslage').toString(),
    };
  });
}

/** Everything stored, to prove a failed import changed nothing. */
async function dump(db: RunderTischDb): Promise<string> {
  const [cases, updates, settings] = await Promise.all([db.cases.toArray(), db.updates.toArray(), db.settings.toArray()]);
  return JSON.stringify({ cases, updates: updates.map((u) => [u.seq, u.docKey, u.update?.length, u.sealed?.length]), settings });
}

describe('backup export and import', () => {
  it('restores a case completely into an empty device: goals, steps, rich text, scope items', async () => {
    const a = freshDb();
    const id = await seed(a);
    const before = await read(a, id);
    const { text, count } = await exportBackup(a, PASS, undefined, FAST);
    expect(count).toBe(1);

    const b = freshDb();
    expect(await importBackup(b, text, PASS)).toEqual({ merged: 0, created: 1 });
    const after = await read(b, id);
    expect(after).toEqual(before);
    expect(after.scopes).toContain('confidential');
    expect(after.text).toContain('Lage vom Erstgespräch');
    expect((await getCase(b, id))?.scopes['confidential']).toEqual((await getCase(a, id))?.scopes['confidential']);
  });

  it('merges into an existing case instead of overwriting it (edits on both sides survive)', async () => {
    const a = freshDb();
    const id = await seed(a);
    const { text } = await exportBackup(a, PASS, [id], FAST);
    const b = freshDb();
    await importBackup(b, text, PASS);
    // Both devices go on separately…
    await withCase(a, id, (c) => c.addGoal('teil', 'Schulden regeln'));
    const other = await createCase(a, { displayName: 'Zweiter Fall', team: 'Ü25' });
    await withCase(b, id, (c) => c.addGoal('teil', 'Führerschein'));
    // …then B imports A's newer backup of all cases.
    const { text: newer } = await exportBackup(a, PASS, undefined, FAST);
    expect(await importBackup(b, newer, PASS)).toEqual({ merged: 1, created: 1 });
    const merged = await read(b, id);
    expect(merged.goals).toEqual(['Ausbildung als Tischler', 'Führerschein', 'Schulden regeln']);
    expect((await listCases(b)).map((c) => c.id).sort()).toEqual([id, other].sort());
  });

  it('works with a device passphrase (reads decrypted data), and says so while locked', async () => {
    const a = freshDb();
    const id = await seed(a);
    await a.vault.setPassphrase(undefined, 'Geraetepasswort 1');
    const { text } = await exportBackup(a, PASS, undefined, FAST);
    const b = freshDb();
    await b.vault.setPassphrase(undefined, 'anderes Passwort');
    await importBackup(b, text, PASS);
    expect((await read(b, id)).goals).toEqual(['Ausbildung als Tischler']);
    // Stored encrypted on B: no plaintext update rows.
    expect((await b.updates.toArray()).every((row) => row.update === undefined && row.sealed)).toBe(true);
    await b.vault.lock();
    await expect(importBackup(b, text, PASS)).rejects.toMatchObject({ kind: 'locked' });
  });

  it('uses PBKDF2-SHA256 with 600,000 iterations by default', async () => {
    const a = freshDb();
    await seed(a);
    const { text } = await exportBackup(a, PASS);
    const file = parseEncryptedFile(text);
    expect(file.kdf).toMatchObject({ name: 'PBKDF2-SHA256', iterations: PBKDF2_ITERATIONS });
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(text).not.toContain('Tischler');
  });

  describe('a bad file gets its reason and changes nothing', () => {
    async function setup() {
      const a = freshDb();
      await seed(a);
      const { text } = await exportBackup(a, PASS, undefined, FAST);
      const b = freshDb();
      await seed(b, 'Schon da');
      return { text, b, before: await dump(b) };
    }
    async function expectRejected(b: RunderTischDb, before: string, text: string, passphrase: string, kind: string) {
      const error = await importBackup(b, text, passphrase).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupError);
      expect((error as BackupError).kind).toBe(kind);
      expect(await dump(b)).toBe(before);
    }

    it('malformed: not a backup at all', async () => {
      const { b, before } = await setup();
      await expectRejected(b, before, 'Hallo, ich bin keine Sicherung', PASS, 'malformed');
      await expectRejected(b, before, JSON.stringify({ format: 'runder-tisch-sicherung', version: 2 }), PASS, 'malformed');
    });

    it('truncated', async () => {
      const { text, b, before } = await setup();
      await expectRejected(b, before, text.slice(0, Math.floor(text.length / 2)), PASS, 'malformed');
      // Cut inside the ciphertext but with the JSON closed again.
      const file = JSON.parse(text) as { ciphertext: string };
      file.ciphertext = file.ciphertext.slice(0, file.ciphertext.length - 40);
      await expectRejected(b, before, JSON.stringify(file), PASS, 'tampered');
    });

    it('tampered ciphertext or header', async () => {
      const { text, b, before } = await setup();
      const file = JSON.parse(text) as { ciphertext: string; kdf: { iterations: number } };
      const i = 30;
      const flipped = file.ciphertext[i] === 'A' ? 'B' : 'A';
      await expectRejected(b, before, JSON.stringify({ ...file, ciphertext: file.ciphertext.slice(0, i) + flipped + file.ciphertext.slice(i + 1) }), PASS, 'tampered');
      // A changed header changes the key: the check fails, reported as passphrase-or-altered.
      await expectRejected(b, before, JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: file.kdf.iterations + 1 } }), PASS, 'passphrase');
    });

    it('wrong passphrase', async () => {
      const { text, b, before } = await setup();
      await expectRejected(b, before, text, 'falsches Passwort', 'passphrase');
    });

    it('decrypts but the content does not validate', async () => {
      const { b, before } = await setup();
      const bad = await encryptFile(utf8(JSON.stringify({ kind: 'runder-tisch-faelle', v: 1, exportedAt: 1, cases: [{ record: { id: 'x' }, docs: {} }] })), PASS, 1_000);
      await expectRejected(b, before, bad, PASS, 'content');
      const id = crypto.randomUUID();
      const record = { id, displayName: 'X', team: 'U25', createdAt: 1, updatedAt: 1 };
      const garbage = await encryptFile(utf8(JSON.stringify({ kind: 'runder-tisch-faelle', v: 1, exportedAt: 1, cases: [{ record, docs: { shared: 'AAECAwQFBgcICQ' } }] })), PASS, 1_000);
      await expectRejected(b, before, garbage, PASS, 'content');
    });
  });
});

describe('backup reminder', () => {
  it('records the last backup and reminds after the configured days', async () => {
    const db = freshDb();
    await seed(db);
    expect(await loadBackupStatus(db)).toEqual({ lastAt: null, remindDays: 7 });
    expect(backupDue(await loadBackupStatus(db), Date.now(), true)).toBe(true);
    expect(backupDue(await loadBackupStatus(db), Date.now(), false)).toBe(false);
    const day = 24 * 60 * 60 * 1000;
    const t0 = Date.UTC(2026, 10, 1);
    await exportBackup(db, PASS, undefined, { ...FAST, now: t0 });
    await saveRemindDays(db, 3);
    const status = await loadBackupStatus(db);
    expect(status).toEqual({ lastAt: t0, remindDays: 3 });
    expect(backupDue(status, t0 + 2 * day, true)).toBe(false);
    expect(backupDue(status, t0 + 3 * day, true)).toBe(true);
    await expect(saveRemindDays(db, 0)).rejects.toThrow();
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError, exportBackup, importBackup } from '../../../src/app/backup.ts';
import { createCase } from '../../../src/app/createCase.ts';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { encryptFile } from '../../../src/crypto/fileCrypto.ts';
import { de } from '../../../src/i18n/catalogue.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';

/**
 * Import files, fuzzed (issue 8): whatever the file holds, the import ends in a BackupError
 * whose kind has a German message, and the device's storage is exactly as before.
 */

const RUNS = Number(process.env.RT_FUZZ_RUNS ?? 40);
const PASS = 'Sicherung Zebrafink 2026';
const FAST = { iterations: 1_000 };
const KINDS = ['malformed', 'passphrase', 'tampered', 'content'] as const;

let dbs: RunderTischDb[] = [];
afterEach(async () => {
  for (const db of dbs) await db.delete();
  dbs = [];
});

/** A device with one case, and a valid backup file of it (made on another device). */
async function setting() {
  const source = new RunderTischDb(`fuzz-${crypto.randomUUID()}`, { vault: { iterations: 1_000 } });
  const target = new RunderTischDb(`fuzz-${crypto.randomUUID()}`, { vault: { iterations: 1_000 } });
  dbs.push(source, target);
  await createCase(source, { displayName: 'Jonas Z.', team: 'U25' });
  await createCase(target, { displayName: 'Schon da', team: 'Ü25' });
  const { text } = await exportBackup(source, PASS, undefined, FAST);
  return { target, text };
}

async function dump(db: RunderTischDb): Promise<string> {
  const [cases, updates, settings] = await Promise.all([db.cases.toArray(), db.updates.toArray(), db.settings.toArray()]);
  return JSON.stringify({ cases, updates: updates.map((u) => [u.seq, u.docKey, u.update?.length, u.sealed?.length]), settings });
}

/** The import fails with a BackupError of a kind the UI has a German sentence for, and changes nothing. */
async function refused(db: RunderTischDb, text: string, passphrase = PASS): Promise<string> {
  const before = await dump(db);
  const error = await importBackup(db, text, passphrase).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  const kind = (error as BackupError).kind;
  expect(KINDS).toContain(kind);
  expect(de[`backup.error.${kind}` as keyof typeof de]).toMatch(/nichts geändert/);
  expect(await dump(db)).toBe(before);
  return kind;
}

/** Every JSON path of a value (so a mutation can hit any field of the envelope). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaceAt(value: unknown, path: (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt(copy[head!], rest, next);
  return copy;
}

describe('fuzz: backup import', () => {
  it('arbitrary text is refused as malformed', { timeout: 60_000 }, async () => {
    const { target } = await setting();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 3 })), async (text) => {
        expect(await refused(target, text)).toBe('malformed');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a valid file truncated, with a character changed, or with any field replaced is refused', { timeout: 120_000 }, async () => {
    const { target, text } = await setting();
    const envelope = JSON.parse(text) as unknown;
    // The work factor is left alone: a file may legitimately ask for up to 10 million rounds.
    const targets = paths(envelope).filter((p) => !(p[0] === 'kdf' && p[1] === 'iterations'));
    const mutation = fc.oneof(
      fc.nat({ max: text.length - 1 }).map((cut) => text.slice(0, cut)),
      fc.tuple(fc.nat({ max: text.length - 1 }), fc.constantFrom('A', '_', '-', '0', '"', '{', ' ', 'ä')).map(([at, c]) =>
        text[at] === c ? text.slice(0, at) : text.slice(0, at) + c + text.slice(at + 1),
      ),
      fc.tuple(fc.constantFrom(...targets), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => JSON.stringify(replaceAt(envelope, path, value))),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (broken) => {
        fc.pre(broken !== text);
        await refused(target, broken);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a correctly encrypted file whose content is not a backup is refused as content', { timeout: 120_000 }, async () => {
    const { target, text } = await setting();
    const { decryptFile } = await import('../../../src/crypto/fileCrypto.ts');
    const payload = JSON.parse(new TextDecoder().decode(await decryptFile(text, PASS))) as unknown;
    const targets = paths(payload).filter((p) => p.length > 0);
    const content = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
      fc.tuple(fc.constantFrom(...targets), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => JSON.stringify(replaceAt(payload, path, value))),
    );
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(content, async (plain) => {
        // Some replacements are still a valid backup (e.g. another timestamp): those import.
        const probe = new RunderTischDb(`fuzz-${crypto.randomUUID()}`, { vault: { iterations: 1_000 } });
        dbs.push(probe);
        const file = await encryptFile(utf8(plain), PASS, 1_000);
        const valid = await importBackup(probe, file, PASS).then(() => true, () => false);
        if (valid) return;
        checked++;
        expect(await refused(target, file)).toBe('content');
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(0);
  });
});

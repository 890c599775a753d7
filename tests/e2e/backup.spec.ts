import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectSaved, goalTitles, indexedDbDump, newParticipant, richText, startApp, stepTexts, type Participant } from './app.ts';

let server: RunningServer;
const people: Participant[] = [];

const CASE_NAME = 'Lea M.';
const GOAL = 'Ausbildung zur Pflegefachfrau ab Herbst';
const STEP = 'Bewerbungsmappe mit dem Bildungsträger erstellen';
const RICH = 'Lea lebt mit ihrer Tochter in einer kleinen Wohnung.';
const HEALTH = 'Migräne, in Behandlung bei Dr. Sommer';
const PASS = 'Sicherung für den Notfall';

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  for (const p of people) await p.context.close();
  await server?.close();
});

async function fillText(locator: Locator, value: string) {
  await locator.fill(value);
  await expect(locator).toHaveValue(value);
}

const domain = (page: Page, name: string): Locator => page.locator(`[data-testid=domain][data-domain=${name}]`);

/** Everything in this page's IndexedDB, byte for byte, to prove nothing changed. */
function storageSnapshot(page: Page): Promise<string> {
  return indexedDbDump(page, 'numbers');
}

async function importFile(page: Page, path: string, passphrase: string) {
  const form = page.getByTestId('backup-import');
  await form.getByLabel('Sicherungsdatei', { exact: true }).setInputFiles(path);
  await form.getByLabel('Passwort der Sicherungsdatei').fill(passphrase);
  await form.getByRole('button', { name: 'Einspielen' }).click();
}

test('backup export, a wiped browser, import: the case is whole again; a wrong passphrase changes nothing', async ({ browser }) => {
  const a = await newParticipant(browser);
  people.push(a);
  const A = a.page;
  const caseId = await createCase(A, server.url, CASE_NAME);
  await A.getByTestId('add-main-goal').click();
  await fillText(A.getByTestId('goal-title').first(), GOAL);
  await A.getByTestId('add-step').click();
  await fillText(A.getByTestId('step-what').first(), STEP);
  await A.locator('.rich-text-content').click();
  await A.keyboard.type(RICH);
  await expect.poll(() => richText(A)).toBe(RICH);
  // A health need lives in its own scope document, not in the shared one.
  await domain(A, 'gesundheit').getByTestId('add-need').click();
  const health = domain(A, 'gesundheit').getByTestId('assessment-item');
  await expect(health).toHaveAttribute('data-scope', 'topic:gesundheit');
  await fillText(health.getByTestId('assessment-client-view'), HEALTH);
  await expectSaved(A);

  // Back on the case list: no backup yet, so it reminds.
  await A.goto(`${server.url}/#/`);
  await expect(A.getByTestId('backup-last')).toHaveText('Auf diesem Gerät wurde noch keine Sicherung gemacht.');
  await expect(A.getByTestId('backup-reminder')).toBeVisible();
  const exportForm = A.getByTestId('backup-export');
  await exportForm.getByLabel('Passwort für die Sicherungsdatei').fill(PASS);
  await exportForm.getByLabel('Passwort wiederholen').fill(PASS);
  const downloading = A.waitForEvent('download');
  await exportForm.getByRole('button', { name: 'Sicherungsdatei herunterladen' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^runder-tisch-sicherung-\d{4}-\d{2}-\d{2}\.json$/);
  const path = join(tmpdir(), `backup-e2e-${crypto.randomUUID()}.json`);
  await download.saveAs(path);
  await expect(A.getByTestId('backup-export-message')).toHaveText('Sicherung mit 1 Fällen erstellt.');
  await expect(A.getByTestId('backup-last')).toContainText('Letzte Sicherung:');
  await expect(A.getByTestId('backup-reminder')).toHaveCount(0);
  // The file is encrypted: none of the case's words are in it.
  const text = await readFile(path, 'utf8');
  for (const secret of [CASE_NAME, GOAL, STEP, 'Tochter', 'Migräne']) expect(text).not.toContain(secret);
  expect(JSON.parse(text)).toMatchObject({ format: 'runder-tisch-sicherung', kdf: { name: 'PBKDF2-SHA256', iterations: 600_000 } });

  // The browser profile is gone: clear this context's IndexedDB completely.
  await A.evaluate(async () => {
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      await new Promise<void>((res, rej) => {
        const r = indexedDB.deleteDatabase(info.name!);
        r.onsuccess = () => res();
        r.onerror = () => rej(r.error);
        r.onblocked = () => res();
      });
    }
  });
  await A.reload();
  await expect(A.getByTestId('no-cases')).toBeVisible();

  // A wrong passphrase, a tampered and a truncated file: a clear message, and nothing changes.
  const before = await storageSnapshot(A);
  await importFile(A, path, 'falsches Passwort');
  await expect(A.getByTestId('backup-import-message')).toHaveText(
    'Das Passwort stimmt nicht – oder die Datei wurde verändert. Es wurde nichts geändert.',
  );
  const truncated = join(tmpdir(), `backup-e2e-${crypto.randomUUID()}.json`);
  await writeFile(truncated, text.slice(0, text.length - 100));
  await importFile(A, truncated, PASS);
  await expect(A.getByTestId('backup-import-message')).toContainText('keine lesbare Sicherungsdatei');
  await expect(A.getByTestId('no-cases')).toBeVisible();
  expect(await storageSnapshot(A)).toBe(before);

  // The right passphrase restores the case.
  await importFile(A, path, PASS);
  await expect(A.getByTestId('backup-import-message')).toHaveText('0 Fälle zusammengeführt, 1 neu.');
  await expect(A.getByTestId('case-list')).toContainText(CASE_NAME);
  await A.getByRole('link', { name: CASE_NAME }).click();
  await expect(A.getByTestId('case-title')).toHaveText(`Fall: ${CASE_NAME}`);
  expect(new URL(A.url()).hash).toBe(`#/case/${caseId}`);
  await expect.poll(() => goalTitles(A)).toEqual([GOAL]);
  await expect.poll(() => stepTexts(A)).toEqual([STEP]);
  await expect.poll(() => richText(A)).toBe(RICH);
  const restored = domain(A, 'gesundheit').getByTestId('assessment-item');
  await expect(restored).toHaveAttribute('data-scope', 'topic:gesundheit');
  await expect(restored.getByTestId('assessment-client-view')).toHaveValue(HEALTH);

  // A second import of the same file merges, duplicates nothing.
  await A.goto(`${server.url}/#/`);
  await importFile(A, path, PASS);
  await expect(A.getByTestId('backup-import-message')).toHaveText('1 Fälle zusammengeführt, 0 neu.');
  await A.getByRole('link', { name: CASE_NAME }).click();
  await expect.poll(() => goalTitles(A)).toEqual([GOAL]);
  await expect.poll(() => richText(A)).toBe(RICH);

  // On a device that has the case, a wrong passphrase changes nothing either.
  await A.goto(`${server.url}/#/`);
  await expect(A.getByTestId('case-list')).toContainText(CASE_NAME);
  const full = await storageSnapshot(A);
  expect(full).toContain('updates');
  await importFile(A, path, 'noch ein falsches Passwort');
  await expect(A.getByTestId('backup-import-message')).toHaveText(
    'Das Passwort stimmt nicht – oder die Datei wurde verändert. Es wurde nichts geändert.',
  );
  expect(await storageSnapshot(A)).toBe(full);
});

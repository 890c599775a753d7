import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectSaved, goalTitles, newParticipant, startApp, stepTexts, type Participant } from './app.ts';

let server: RunningServer;
let p: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  p = await newParticipant(browser);
});

test.afterAll(async () => {
  await p?.context.close();
  await server?.close();
});

const PASS = 'Sonnenblume am Fenster';
const NAME = 'Zebrafink Testfall';
const GOAL = 'Ausbildung als Zitronenfalter';
const STEP = 'Termin beim Wiedehopf vereinbaren';

/**
 * Everything in the app's IndexedDB, read with the raw API (not through the app), as text:
 * byte arrays decoded as UTF-8, which is how Yjs stores strings.
 */
function rawDatabase(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('runder-tisch');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const stores: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      stores[name] = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    db.close();
    const decoder = new TextDecoder();
    return JSON.stringify(stores, (_key, value: unknown) => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return decoder.decode(value);
      return value;
    });
  });
}

async function unlock(page: Page, passphrase: string): Promise<void> {
  const screen = page.getByTestId('lock-screen');
  await screen.getByLabel('Gerätepasswort').fill(passphrase);
  await screen.getByRole('button', { name: 'Entsperren' }).click();
}

async function openSettings(page: Page) {
  await page.getByTestId('open-lock-settings').click();
  const dialog = page.getByTestId('lock-settings');
  await expect(dialog).toBeVisible();
  return dialog;
}

test('device passphrase: nothing readable at rest, lock screen, wrong and right passphrase, lock now, idle lock', async () => {
  const { page } = p;

  // A case written before the passphrase exists: the raw check can see its text.
  const caseId = await createCase(page, server.url, NAME);
  await page.getByTestId('add-main-goal').click();
  await page.getByTestId('goal-title').first().fill(GOAL);
  await expectSaved(page);
  await expect.poll(() => rawDatabase(page)).toContain(GOAL);
  expect(await rawDatabase(page)).toContain(NAME);

  // Set the passphrase: existing data is re-encrypted.
  let dialog = await openSettings(page);
  await expect(dialog).toContainText('Wenn Sie das Passwort vergessen, lassen sich die Daten auf diesem Gerät nicht mehr öffnen');
  await expect(dialog).toContainText('Die anderen Geräte am Tisch behalten ihre eigenen Kopien');
  await dialog.getByLabel('Neues Passwort', { exact: true }).fill(PASS);
  await dialog.getByLabel('Neues Passwort wiederholen').fill(`${PASS}x`);
  await dialog.getByRole('button', { name: 'Passwort festlegen' }).click();
  await expect(dialog.getByTestId('lock-settings-message')).toHaveText('Die beiden neuen Passwörter stimmen nicht überein.');
  await dialog.getByLabel('Neues Passwort wiederholen').fill(PASS);
  await dialog.getByRole('button', { name: 'Passwort festlegen' }).click();
  await expect(dialog.getByTestId('lock-settings-message')).toContainText('Die Gerätesperre ist an.', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Schließen' }).click();
  await expect(page.getByTestId('lock-now')).toBeVisible();

  // Edit on: new writes are encrypted too.
  await page.getByTestId('add-step').click();
  await page.getByTestId('step-what').last().fill(STEP);
  await expectSaved(page);

  const raw = await rawDatabase(page);
  expect(raw).toContain('"sealed"'); // the check reads the real rows
  for (const text of [NAME, 'Zebrafink', GOAL, 'Zitronenfalter', STEP, 'Wiedehopf']) expect(raw).not.toContain(text);

  // Reload: the lock screen, and no case data on the page.
  await page.reload();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  expect(await page.content()).not.toContain('Zebrafink');

  // A wrong passphrase: a clear message, still locked.
  await unlock(page, 'falsches Passwort');
  await expect(page.getByTestId('lock-wrong')).toHaveText('Das Passwort stimmt nicht.', { timeout: 30_000 });
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  expect(await page.content()).not.toContain('Zebrafink');

  // The right one: back on the same case, everything there.
  await unlock(page, PASS);
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${NAME}`, { timeout: 30_000 });
  expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
  await expect.poll(() => goalTitles(page)).toEqual([GOAL]);
  await expect.poll(() => stepTexts(page)).toEqual([STEP]);

  // "Jetzt sperren".
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  expect(await page.content()).not.toContain('Zebrafink');
  await unlock(page, PASS);
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${NAME}`, { timeout: 30_000 });

  // The idle lock, set to six seconds: no input, and the app locks itself.
  dialog = await openSettings(page);
  await expect(dialog.getByTestId('lock-settings-status')).toHaveText(
    'Die Gerätesperre ist an. Die Fälle auf diesem Gerät sind verschlüsselt gespeichert.',
  );
  await dialog.getByLabel('Sperren nach so vielen Minuten ohne Eingabe').fill('0.1');
  await dialog.getByRole('button', { name: 'Übernehmen' }).click();
  await expect(dialog.getByTestId('lock-idle-message')).toContainText('Gespeichert');
  await dialog.getByRole('button', { name: 'Schließen' }).click();
  await expect(page.getByTestId('lock-screen')).toBeVisible({ timeout: 30_000 });
  expect(await page.content()).not.toContain('Zebrafink');

  // Turning the lock off needs the passphrase; a wrong one changes nothing.
  await unlock(page, PASS);
  await expect(page.getByTestId('case-title')).toBeVisible({ timeout: 30_000 });
  dialog = await openSettings(page);
  await dialog.getByLabel('Sperren nach so vielen Minuten ohne Eingabe').fill('10');
  await dialog.getByRole('button', { name: 'Übernehmen' }).click();
  await expect(dialog.getByTestId('lock-idle-message')).toContainText('10 Minuten');
  await dialog.locator('#lock-remove-current').fill('falsches Passwort');
  await dialog.getByRole('button', { name: 'Gerätesperre ausschalten' }).click();
  await expect(dialog.getByTestId('lock-settings-message')).toHaveText('Das Passwort stimmt nicht.', { timeout: 30_000 });
  expect(await rawDatabase(page)).not.toContain('Zebrafink');
  await dialog.locator('#lock-remove-current').fill(PASS);
  await dialog.getByRole('button', { name: 'Gerätesperre ausschalten' }).click();
  await expect(dialog.getByTestId('lock-settings-message')).toHaveText('Die Gerätesperre ist aus.', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Schließen' }).click();
  await expect(page.getByTestId('lock-now')).toHaveCount(0);
  expect(await rawDatabase(page)).toContain(STEP);
  await page.reload();
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${NAME}`);
});

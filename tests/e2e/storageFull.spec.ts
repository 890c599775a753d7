import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectSaved, indexedDbDump, newParticipant, startApp } from './app.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  await server?.close();
});

/**
 * A full disk, for real: Chromium's own quota for this origin is set to 2 MB (DevTools
 * protocol, Storage.overrideQuotaForOrigin) before the app opens its database (Chromium reads
 * the space left when it opens the origin's storage), so IndexedDB itself refuses the write
 * that does not fit, with QuotaExceededError.
 */
const QUOTA = 2 * 1024 * 1024;
test('storage full: a clear German message, editing goes on in memory, nothing saved is lost, saving resumes', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(server.url).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA });
  await createCase(page, server.url, 'Frau Demir');
  await page.getByTestId('add-main-goal').click();
  const title = page.getByTestId('goal-title').first();
  await title.fill('wieder arbeiten');
  await expectSaved(page);

  // A paste bigger than the space left.
  const editor = page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
  await editor.click();
  await page.keyboard.insertText('Lebenslauf '.repeat(QUOTA / 11));
  await title.press('End');
  await title.pressSequentially(', aber nur vormittags');
  const status = page.getByTestId('save-status');
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status).toHaveAttribute('role', 'alert');
  await expect(status).toContainText('Der Speicher ist voll');
  // Still editable, in memory.
  await page.getByTestId('add-step').click();
  await page.getByTestId('step-what').last().fill('Hortplatz beantragen');
  await expect(title).toHaveValue('wieder arbeiten, aber nur vormittags');
  await expect(status).toHaveAttribute('data-state', 'failed');

  // What was saved before is still on the device, in IndexedDB as the app wrote it.
  expect(await indexedDbDump(page, 'text')).toContain('wieder arbeiten');

  // Space again (the quota back to the browser's own): „Erneut speichern“ writes what waited.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await status.getByRole('button', { name: 'Erneut speichern' }).click();
  await expectSaved(page);
  await page.reload();
  await expect(page.getByTestId('goal-title').first()).toHaveValue('wieder arbeiten, aber nur vormittags');
  await expect(page.getByTestId('step-what').last()).toHaveValue('Hortplatz beantragen');
  await context.close();
});

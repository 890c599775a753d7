import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectSaved, newParticipant, richText, startApp, startConference } from './app.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  await server?.close();
});

/**
 * A case with a conference reconnects by itself when it is opened, a few seconds after the
 * page shows it; the rich text editor is made anew then (its carets need the room). Someone
 * who started typing straight away keeps typing into it: no keystroke goes astray.
 */
test('typing into the Ausgangslage while the case reconnects to its table loses no keystroke', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  await createCase(page, server.url, 'Dennis K.');
  await startConference(page, 'Herr Schmitt');
  await expectSaved(page);
  await page.reload();
  const editor = page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
  await editor.click();
  // Long enough to span the reconnect (the keyring probe alone waits up to four seconds).
  const sentence = 'Dennis arbeitet in der AGH-Stelle jetzt sechs Stunden am Tag und kommt gut zurecht. '.repeat(3).trim();
  await page.keyboard.type(sentence, { delay: 25 });
  await expect(page.getByTestId('invites')).toBeVisible();
  await expect.poll(() => richText(page)).toBe(sentence);
  await context.close();
});

import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, newParticipant, startApp, type Participant } from './app.ts';

/**
 * In-app links change the page at once (src/ui/router.svelte.ts takes the click instead of
 * waiting for the browser's hashchange). What the browser did before must still hold: every
 * page has its own history entry, back and forward work, a typed address works, and a click
 * meant for a new tab is left to the browser.
 */

let server: RunningServer;
let user: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  user = await newParticipant(browser);
});

test.afterAll(async () => {
  await user?.context.close();
  await server?.close();
});

test('links, back and forward, a typed address, and a new tab all lead to the right page', async () => {
  const { page } = user;
  const caseId = await createCase(page, server.url, 'Mila Hartung');
  const caseTitle = page.getByTestId('case-title');
  const caseLink = page.getByRole('link', { name: 'Mila Hartung' });
  const onList = async () => {
    await expect(caseLink).toBeVisible();
    expect(new URL(page.url()).hash).toBe('#/');
  };

  // A link in the page: the case list, then the case.
  await page.getByRole('link', { name: /Zur Fallübersicht/ }).click();
  await onList();
  await caseLink.click();
  await expect(caseTitle).toHaveText('Fall: Mila Hartung');
  expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);

  // The browser's back and forward buttons walk the same entries.
  await page.goBack();
  await onList();
  await page.goForward();
  await expect(caseTitle).toHaveText('Fall: Mila Hartung');

  // A link to the page already shown adds no entry: one step back is the list.
  await page.getByRole('link', { name: 'Runder Tisch' }).click();
  await onList();
  await page.getByRole('link', { name: 'Runder Tisch' }).click();
  await onList();
  await page.goBack();
  await expect(caseTitle).toHaveText('Fall: Mila Hartung');

  // An address typed into the bar (a hash change from outside the page).
  await page.evaluate(() => (location.hash = '#/'));
  await onList();

  // The section links inside a case scroll within the page and leave the address alone.
  await caseLink.click();
  await page.getByRole('navigation', { name: 'Abschnitte' }).getByRole('link').first().click();
  expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
  await expect(caseTitle).toBeVisible();

  // A link inside editable text is text to edit: a click puts the caret there and goes nowhere
  // (as the browser does; a peer's rich text can hold links).
  await page.evaluate(() => {
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    editable.innerHTML = 'Text mit <a href="#/" data-testid="editable-link">Verweis</a>';
    document.querySelector('main')!.prepend(editable);
  });
  await page.getByTestId('editable-link').click();
  expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
  await expect(caseTitle).toBeVisible();
  await page.evaluate(() => document.querySelector('[data-testid=editable-link]')!.parentElement!.remove());

  // Ctrl+click is the browser's: the case opens in a new tab, this one stays where it was.
  await page.getByRole('link', { name: /Zur Fallübersicht/ }).click();
  await onList();
  const [tab] = await Promise.all([user.context.waitForEvent('page'), caseLink.click({ modifiers: ['ControlOrMeta'] })]);
  await onList();
  await expect(tab.getByTestId('case-title')).toHaveText('Fall: Mila Hartung');
  await tab.close();
});

test("a page whose code cannot be fetched says so, and a button fetches it again", async ({ browser }) => {
  // Its own context with the service worker off: the route must see the request.
  const context = await browser.newContext({ locale: 'de-DE', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await createCase(page, server.url, 'Ohne Netz O.');
    await page.goto(server.url);
    const chunk = /\/assets\/CaseTab-[^/]*\.js$/;
    await context.route(chunk, (route) => route.abort('internetdisconnected'));
    await page.getByRole('link', { name: 'Ohne Netz O.' }).click();
    const failed = page.getByTestId('page-load-failed');
    await expect(failed).toContainText('konnte nicht geladen werden');
    await expect(page.getByTestId('case-title')).toHaveCount(0);

    await context.unroute(chunk);
    await failed.getByRole('button', { name: 'Noch einmal versuchen' }).click();
    await expect(page.getByTestId('case-title')).toHaveText('Fall: Ohne Netz O.');
    await expect(failed).toHaveCount(0);
  } finally {
    await context.close();
  }
});

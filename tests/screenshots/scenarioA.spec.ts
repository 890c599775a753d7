import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { expectWebRtcPeers, invite, joinByLink, startApp, startConference, type Participant } from '../e2e/app.ts';

/**
 * The README's pictures: scenario A (Jonas, 23, U25; Frau Aydin hosts, Herr Wolff of the
 * Caritas debt counselling joins) played by three people on three devices, over real WebRTC
 * through our server: the case manager at a desktop, Jonas on his phone, Herr Wolff on a
 * tablet. The case is the built-in demo. Fixed sizes, German locale, a fixed clock, no
 * animations and no caret make the pictures the same on every run.
 */

const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
/** A Tuesday morning; every date in the demo is relative to it. */
const NOW = new Date('2026-11-24T09:30:00+01:00');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const TABLET = { width: 768, height: 1024 };

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let host: Participant;
let client: Participant;
let partner: Participant;
let caseId = '';

async function participant(browser: Browser, viewport: { width: number; height: number }): Promise<Participant> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    permissions: ['camera', 'microphone'],
    reducedMotion: 'reduce',
  });
  // Only the wall clock stands still; timers run, so WebRTC and the save debounce work as usual.
  await context.clock.setFixedTime(NOW);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return { context, page };
}

async function shoot(target: Page | Locator, name: string): Promise<void> {
  const page = 'page' in target ? target.page() : target;
  // Text is drawn in its final font, not a fallback.
  await page.evaluate(() => document.fonts.ready);
  await target.screenshot({ path: resolve(OUT, `${name}.png`), animations: 'disabled', caret: 'hide', scale: 'css' });
}

/** The side column (conference, quality) scrolls on its own on a desktop: start at its top. */
async function sideToTop(page: Page): Promise<void> {
  await page.locator('.case-side').evaluate((el) => el.scrollTo(0, 0));
}

/** Scrolls so that `locator` is near the top of the viewport (not behind the page's edge). */
async function scrollToTop(locator: Locator): Promise<void> {
  await expect(async () => {
    await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect(locator).toBeInViewport({ timeout: 1_000 });
  }).toPass();
}

test.beforeAll(async ({ browser }) => {
  mkdirSync(OUT, { recursive: true });
  server = await startApp();
  host = await participant(browser, DESKTOP);
  client = await participant(browser, PHONE);
  partner = await participant(browser, TABLET);
});

test.afterAll(async () => {
  for (const p of [host, client, partner]) await p?.context.close();
  await server?.close();
});

test('case list', async () => {
  const { page } = host;
  await page.goto(server.url);
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('case-title')).toBeVisible();
  caseId = new URL(page.url()).hash.replace('#/case/', '');
  await page.goto(server.url);
  await expect(page.getByRole('link', { name: /Jonas B\./ }).first()).toBeVisible();
  await shoot(page, 'cases');
});

test('case page, lobby and the conference with three people', async () => {
  const A = host.page;
  await A.goto(`${server.url}/#/case/${caseId}`);
  await expect(A.getByTestId('case-title')).toBeVisible();
  await expect(A.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await shoot(A, 'case');
  await startConference(A, 'Frau Aydin');

  // Jonas knocks from his phone; both see the same device identifier.
  const B = client.page;
  await B.goto(await invite(A, 'Jonas B.', 'Klient/in'));
  await B.getByLabel('Ihr Name').fill('Jonas B.');
  await B.getByLabel('Ihre Rolle').selectOption({ label: 'Klient/in' });
  await B.getByRole('button', { name: 'Beitreten' }).click();
  await expect(B.getByTestId('my-fingerprint')).toBeVisible();
  const knock = A.locator('[data-testid=knock][data-name="Jonas B."]');
  await expect(knock).toBeVisible();
  await B.getByTestId('my-fingerprint').scrollIntoViewIfNeeded();
  await shoot(B, 'join-phone');
  await shoot(A.getByTestId('conference'), 'lobby');
  await knock.getByTestId('admit').click();
  await expect(B.getByTestId('case-title')).toBeVisible();

  // Jonas released the debt counsellor for money matters: with that consent Herr Wolff may join.
  const caritas = A.getByTestId('consent-partner').filter({ hasText: 'Caritas Schuldnerberatung' });
  await caritas.getByTestId('add-consent').click();
  for (const topic of ['finanzen', 'finanzielles', 'austausch']) await caritas.getByTestId(`consent-topic-${topic}`).last().check();
  await expect(caritas.getByTestId('consent-status').last()).toContainText(/gültig/);
  const C = partner.page;
  await joinByLink(C, await invite(A, 'Herr Wolff', 'Netzwerkpartner/in', 'Caritas Schuldnerberatung'), 'Herr Wolff', 'Netzwerkpartner/in', A);
  await expectWebRtcPeers(A, 2);
  for (const p of [A, B, C]) await expect(p.getByTestId('participant')).toHaveCount(3);

  // At the Hilfeplan: the case manager at her desk with everyone present, Herr Wolff on his tablet.
  await scrollToTop(A.locator('#section-steps'));
  await sideToTop(A);
  await shoot(A, 'conference');
  await scrollToTop(C.locator('#section-steps'));
  await shoot(C, 'tablet');
});

test("Jonas' own view on his phone", async () => {
  const B = client.page;
  await B.getByTestId('view-mine').click();
  await expect(B.getByTestId('my-agreement')).toBeVisible();
  await scrollToTop(B.getByTestId('my-agreement'));
  await shoot(B, 'client-phone');
  await B.getByTestId('view-full').click();
});

test('the changes of the first version, before it is proposed', async () => {
  const A = host.page;
  await A.getByTestId('prepare-version').click();
  const preview = A.getByTestId('version-preview');
  await expect(preview.locator('[data-testid=diff-goal]').first()).toBeVisible();
  await scrollToTop(A.locator('#section-versions'));
  await sideToTop(A);
  await shoot(A, 'versions');
});

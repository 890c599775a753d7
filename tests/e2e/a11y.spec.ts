import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectWebRtcPeers, invite, joinByLink, newParticipant, recordConsent, startApp, startConference, type Participant } from './app.ts';

/**
 * WCAG 2.1 A and AA as axe-core checks them, on every screen and state the issue names. Each
 * test brings the app into one state (with real WebRTC between separate contexts where the
 * state needs other people) and asserts that axe finds nothing. A failure prints each rule,
 * its help text and the elements it found, so the fix can be read off the report.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let server: RunningServer;
let host: Participant;
let client: Participant;
let partner: Participant;
let caseId = '';

const ORG = 'Schuldnerberatung Nord';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
  partner = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client, partner]) await p?.context.close();
  await server?.close();
});

/** Runs axe on the page (or a part of it) and fails with a readable list of violations. */
async function expectNoViolations(page: Page, screen: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (include) builder = builder.include(include);
  // Contrast can only be measured on what is laid out and on screen: the page skips layout
  // off screen (content-visibility) and axe cannot tell the background of what is scrolled
  // away. A very tall viewport with everything laid out lets it check every text.
  const size = page.viewportSize();
  await page.setViewportSize({ width: size?.width ?? 1280, height: 12_000 });
  const style = await page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
  let results;
  try {
    results = await builder.analyze();
  } finally {
    await style.evaluate((el) => (el as Element).remove());
    if (size) await page.setViewportSize(size);
  }
  const { violations, passes } = results;
  // axe ran its rules on real content (an empty or unrendered page would pass vacuously).
  expect(passes.length, `axe checked nothing on ${screen}`).toBeGreaterThan(5);
  const summary = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`)
          .join('\n'),
    )
    .join('\n');
  expect.soft(violations, `axe violations on ${screen}:\n${summary}`).toEqual([]);
}

test('case list (start page, empty and with a case)', async () => {
  const { page } = host;
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Fall anlegen' })).toBeVisible();
  await expectNoViolations(page, 'empty case list');
  caseId = await createCase(page, server.url, 'Jonas Bergmann');
  await page.goto(server.url);
  await expect(page.getByRole('link', { name: /Jonas Bergmann/ }).first()).toBeVisible();
  await expectNoViolations(page, 'case list with a case');
});

test('case page with goals and steps', async () => {
  const { page } = host;
  await page.goto(`${server.url}/#/case/${caseId}`);
  await expect(page.getByTestId('case-title')).toHaveText('Fall: Jonas Bergmann');
  await page.getByTestId('add-main-goal').click();
  const goal = page.getByTestId('goal').first();
  await goal.getByTestId('goal-title').fill('Ausbildung als Kfz-Mechatroniker beginnen');
  await goal.getByTestId('goal-client-words').fill('Ich will an Autos schrauben');
  await page.getByTestId('add-step').click();
  await page.getByTestId('step').first().getByTestId('step-what').fill('Schulden ordnen');
  await page.getByTestId('review-date').fill('2027-03-01');
  await expectNoViolations(page, 'case page');
});

test('consent dialog: a partner with a consent, and the revoke question', async () => {
  const { page } = host;
  await startConference(page, 'Frau Wagner');
  await recordConsent(page, ORG, 'schuldnerberatung', ['finanzen']);
  const group = page.getByTestId('consent-partner').filter({ hasText: ORG });
  await group.getByTestId('consent-revoke').click();
  await expect(page.getByTestId('consent-revoke-confirm')).toBeVisible();
  await expectNoViolations(page, 'consent with revoke question');
  await page.getByTestId('consent-revoke-cancel').click();
  await expect(page.getByTestId('consent-revoke-confirm')).toHaveCount(0);
});

test('lobby: the guest waiting, the host seeing the knock', async () => {
  const link = await invite(host.page, 'Jonas', 'Klient/in');
  await client.page.goto(link);
  await expect(client.page.getByLabel('Ihr Name')).toBeVisible();
  await expectNoViolations(client.page, 'join page');
  await client.page.getByLabel('Ihr Name').fill('Jonas');
  await client.page.getByLabel('Ihre Rolle').selectOption({ label: 'Klient/in' });
  await client.page.getByRole('button', { name: 'Beitreten' }).click();
  await expect(client.page.getByTestId('my-fingerprint')).toBeVisible();
  await expectNoViolations(client.page, 'guest in the waiting room');
  const knock = host.page.locator('[data-testid=knock][data-name="Jonas"]');
  await expect(knock).toBeVisible();
  await expectNoViolations(host.page, 'host with a knock in the lobby');
  await knock.getByTestId('admit').click();
  await expect(client.page.getByTestId('case-title')).toBeVisible();
});

/** Records every text the page's polite announcer region takes from now on. */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.getByTestId('announcer').evaluate((el) => {
    const log: string[] = [];
    (window as unknown as { __announced: string[] }).__announced = log;
    new MutationObserver(() => log.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
}
const announced = (page: Page) => page.evaluate(() => (window as unknown as { __announced: string[] }).__announced.filter((s) => s.trim()));

test('conference with three participants, on each device', async () => {
  await expect(host.page.getByTestId('announcer')).toHaveAttribute('aria-live', 'polite');
  await recordAnnouncements(host.page);
  await joinByLink(partner.page, await invite(host.page, 'Herr Kaya', 'Netzwerkpartner/in', ORG), 'Herr Kaya', 'Netzwerkpartner/in', host.page);
  await expectWebRtcPeers(host.page, 2);
  for (const page of [host.page, client.page, partner.page]) {
    await expect(page.getByTestId('step-what').first()).toHaveValue('Schulden ordnen');
  }
  await expectNoViolations(host.page, 'conference (host)');
  await expectNoViolations(client.page, 'conference (client)');
  await expectNoViolations(partner.page, 'conference (partner)');
});

test('colour is never the only signal: presence and quality panel say it in words, also in forced colours', async () => {
  const page = host.page;
  await page.emulateMedia({ forcedColors: 'active' });
  try {
    // Presence: each person by name and role in text; the coloured dot is decoration.
    const people = page.getByTestId('participant');
    await expect(people).toHaveCount(3);
    for (const text of await people.allInnerTexts()) expect(text).toMatch(/– (Fallmanager\/in|Klient\/in|Netzwerkpartner\/in)/);
    await expect(page.getByTestId('presence')).toContainText('Herr Kaya');
    await expect(page.getByTestId('presence')).toContainText('(Sie)');
    // Quality: each item's state as a word and a symbol, not only as its background colour.
    const words = { red: ['✗', 'fehlt'], amber: ['!', 'prüfen'], green: ['✓', 'erfüllt'] } as const;
    const items = page.getByTestId('quality-item');
    expect(await items.count()).toBeGreaterThan(0);
    const states = await items.evaluateAll((els) => els.map((el) => [el.getAttribute('data-status'), (el as HTMLElement).innerText] as const));
    for (const [status, text] of states) {
      const [icon, word] = words[status as keyof typeof words];
      expect(text).toContain(icon);
      expect(text).toContain(word);
    }
    await expect(page.getByTestId('quality-summary')).toContainText(/\d/);
    await expectNoViolations(page, 'conference in forced colours');
  } finally {
    await page.emulateMedia({ forcedColors: 'none' });
  }
});

test('remote changes are announced politely, summarised, not per keystroke', async () => {
  // The partner's arrival was said once, by name.
  await expect.poll(() => announced(host.page)).toContainEqual(expect.stringContaining('Herr Kaya ist jetzt am Tisch.'));
  const before = (await announced(host.page)).length;
  const words = client.page.getByTestId('goal-client-words').first();
  await words.press('End');
  const typed = ' und eine eigene Wohnung';
  await words.pressSequentially(typed);
  await expect(host.page.getByTestId('goal-client-words').first()).toHaveValue(/eine eigene Wohnung$/);
  await expect.poll(async () => (await announced(host.page)).slice(before).join(' ')).toMatch(/Jonas hat \d+ Änderungen gemacht\./);
  const during = (await announced(host.page)).slice(before);
  // One summary per pause, never one message per keystroke.
  expect(during.length).toBeLessThan(typed.length / 4);
  const counted = during.reduce((sum, s) => sum + Number(/Jonas hat (\d+) Änderungen/.exec(s)?.[1] ?? 0), 0);
  expect(counted).toBeGreaterThan(1);
});

test('version diff: the preview and the proposal everyone answers', async () => {
  await host.page.getByTestId('prepare-version').click();
  await expect(host.page.getByTestId('version-preview').locator('[data-testid=diff-goal]').first()).toBeVisible();
  await expectNoViolations(host.page, 'version preview with diff');
  await host.page.getByTestId('propose-version').click();
  for (const page of [host.page, client.page, partner.page]) {
    await expect(page.getByTestId('version-pending')).toHaveAttribute('data-number', '1');
  }
  await expectNoViolations(client.page, 'pending version (client)');
  await expectNoViolations(host.page, 'pending version (host)');
});

test('client view („Meine Vereinbarung“)', async () => {
  await client.page.getByTestId('view-mine').click();
  await expect(client.page.getByTestId('my-print-none')).toBeVisible();
  await expectNoViolations(client.page, 'client view');
  await client.page.getByTestId('easy-language').click();
  await expect(client.page.getByTestId('my-agreement')).toContainText('Das mache ich als Nächstes');
  await expectNoViolations(client.page, 'client view in Leichte Sprache');
  await client.page.getByTestId('easy-language').click();
  await expect(client.page.getByTestId('easy-language')).toHaveAttribute('aria-checked', 'false');
});

test('print view of an agreed version', async () => {
  await client.page.getByTestId('view-full').click();
  // The partner carries no step here, so the case manager's and the client's signatures agree it.
  for (const page of [host.page, client.page]) await page.getByTestId('version-accept').click();
  const frozen = host.page.locator('[data-testid=version-frozen][data-number="1"]');
  await expect(frozen.getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');
  await expectNoViolations(host.page, 'agreed version');
  await client.page.getByTestId('view-mine').click();
  await expect(client.page.getByTestId('my-print-link')).toBeVisible();
  await expectNoViolations(client.page, 'client view with an agreed version');
  await host.page.goto(`${server.url}/#/case/${caseId}/print/1`);
  await expect(host.page.getByTestId('print-view')).toContainText('Kooperationsplan / Zielvereinbarung');
  await expectNoViolations(host.page, 'print view');
  await host.page.goto(`${server.url}/#/case/${caseId}`);
  await expect(host.page.getByTestId('case-title')).toBeVisible();
});

test('closure and handover sections, opened', async () => {
  const { page } = host;
  await page.getByTestId('closure-start').click();
  await expect(page.getByTestId('closure-reason')).toBeVisible();
  await expectNoViolations(page, 'closure started', '[data-testid=closure]');
  await expect(page.getByTestId('handover')).toBeVisible();
  await expectNoViolations(page, 'handover section', '[data-testid=handover]');
  await page.getByTestId('handover-start').click();
  await expect(page.getByTestId('handover')).not.toHaveAttribute('data-stage', 'none');
  await expect(page.getByTestId('handover-message')).toBeVisible();
  await expectNoViolations(page, 'handover record started', '[data-testid=handover]');
});

test('start page with dashboard, report panel and backup', async () => {
  const { page } = host;
  await page.goto(server.url);
  await expect(page.getByTestId('report-panel')).toBeVisible();
  await expectNoViolations(page, 'start page with cases');
});

test('the demo case: a full plan with assessment, partners, review and minutes, and its client view', async ({ browser }) => {
  const solo = await newParticipant(browser);
  try {
    const { page } = solo;
    await page.goto(server.url);
    await page.getByTestId('load-demo').click();
    await expect(page.getByTestId('case-title')).toBeVisible();
    await expect(page.getByTestId('goal').first()).toBeVisible();
    await expectNoViolations(page, 'demo case');
    await page.getByTestId('view-mine').click();
    await expect(page.getByTestId('my-agreement')).toBeVisible();
    await expectNoViolations(page, 'demo client view');
    await page.getByTestId('easy-language').click();
    await expect(page.getByTestId('easy-language')).toHaveAttribute('aria-checked', 'true');
    await expectNoViolations(page, 'demo client view in Leichte Sprache');
  } finally {
    await solo.context.close();
  }
});

test('lock screen and the lock settings dialog', async ({ browser }) => {
  const solo = await newParticipant(browser);
  try {
    const { page } = solo;
    await createCase(page, server.url, 'Zebrafink Testfall');
    await page.getByTestId('open-lock-settings').click();
    const dialog = page.getByTestId('lock-settings');
    await expect(dialog).toBeVisible();
    await expectNoViolations(page, 'lock settings dialog');
    await dialog.getByLabel('Neues Passwort', { exact: true }).fill('Sonnenblume am Fenster');
    await dialog.getByLabel('Neues Passwort wiederholen').fill('Sonnenblume am Fenster');
    await dialog.getByRole('button', { name: 'Passwort festlegen' }).click();
    await expect(dialog.getByTestId('lock-settings-message')).toContainText('Die Gerätesperre ist an.', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await expectNoViolations(page, 'lock screen');
    await page.getByTestId('lock-screen').getByLabel('Gerätepasswort').fill('falsch');
    await page.getByTestId('lock-screen').getByRole('button', { name: 'Entsperren' }).click();
    await expect(page.getByTestId('lock-wrong')).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, 'lock screen after a wrong passphrase');
  } finally {
    await solo.context.close();
  }
});

import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { expectWebRtcPeers, goalTitles, newParticipant, richText, startApp, stepTexts, type Participant } from './app.ts';

/**
 * The whole conference flow by keyboard alone: every action below is a key press (Tab,
 * Shift+Tab, Enter, Space, arrows, Escape) or typed text into the focused field; nothing is
 * clicked or filled. The tests only read the page (which element has focus, what it shows).
 * On every stop the focused element must show a visible focus indicator.
 */

let server: RunningServer;
let host: Participant;
let guest: Participant;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  guest = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, guest]) await p?.context.close();
  await server?.close();
});

/** Elements that had focus without a visible indicator, as "tag#id[data-testid]". */
const invisibleFocus = new Set<string>();

function focusIs(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
}

/** Notes the focused element if it shows no outline, no box shadow and no focus border. */
async function checkFocusVisible(page: Page): Promise<void> {
  const missing = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // Chromium moves focus through a date field's own parts (day, month, year, picker) inside
    // the control; in between, the input is active without matching :focus and the browser
    // draws its own highlight on the part.
    if (!el.matches(':focus')) return null;
    const visible = (e: Element) => {
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    };
    // A visually hidden control (checkbox, radio) shows its focus on its label.
    if (visible(el) || (el.closest('label') && visible(el.closest('label')!))) return null;
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}`;
  });
  if (missing) invisibleFocus.add(missing);
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`. */
async function tabTo(page: Page, selector: string, { backwards = false, max = 400 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await focusIs(page, selector)) return void (await checkFocusVisible(page));
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    await checkFocusVisible(page);
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** In the focused <select>, arrows until the option with this label is chosen. */
async function chooseByArrows(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Home');
  for (let i = 0; i < 30; i++) {
    const current = await page.evaluate(() => (document.activeElement as HTMLSelectElement).selectedOptions[0]?.label);
    if (current === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option ${label}`);
}

const NAME = 'Lea Sommer';
const GOAL = 'Eine Ausbildung als Köchin beginnen';
const STEP = 'Bewerbung an drei Betriebe schicken';
const SITUATION = 'Lea hat die Hauptschule abgeschlossen.';

test('create a case, start the conference and invite, by keyboard', async () => {
  const page = host.page;
  await page.goto(server.url);
  // The skip link comes first and leads to the main content.
  await page.keyboard.press('Tab');
  await checkFocusVisible(page);
  // The new-case form: name field, then Enter submits.
  const nameField = await page.getByLabel('Name oder Kürzel der Person').getAttribute('id');
  await tabTo(page, `#${nameField}`);
  await page.keyboard.type(NAME);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${NAME}`);

  // Start the conference from its form.
  const yourName = await page.getByLabel('Ihr Name').getAttribute('id');
  await tabTo(page, `#${yourName}`);
  await page.keyboard.type('Frau Wagner');
  await tabTo(page, '[data-testid=conference] button[type=submit]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('invites')).toBeVisible();

  // An invite for the client.
  await tabTo(page, '[data-testid=invite-name]');
  await page.keyboard.type(NAME);
  await tabTo(page, '[data-testid=invite-role]');
  await chooseByArrows(page, 'Klient/in');
  await tabTo(page, '[data-testid=create-invite]');
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid=invite][data-invite-name="${NAME}"] [data-testid=invite-link]`)).toHaveValue(/#\/join\//);
});

test('the guest joins by keyboard and the host lets her in by keyboard', async () => {
  const link = await host.page.locator(`[data-testid=invite][data-invite-name="${NAME}"] [data-testid=invite-link]`).inputValue();
  const page = guest.page;
  await page.goto(link);
  const yourName = await page.getByLabel('Ihr Name').getAttribute('id');
  await tabTo(page, `#${yourName}`);
  await page.keyboard.type(NAME);
  const role = await page.getByLabel('Ihre Rolle').getAttribute('id');
  await tabTo(page, `#${role}`);
  await chooseByArrows(page, 'Klient/in');
  // Enter on a select does not submit a form: on to the button.
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('my-fingerprint')).toBeVisible();

  // The host reaches the knock (backwards from where she was, or onwards) and admits.
  await tabTo(host.page, `[data-testid=knock][data-name="${NAME}"] [data-testid=admit]`);
  await host.page.keyboard.press('Enter');
  await expect(page.getByTestId('case-title')).toBeVisible();
  await expectWebRtcPeers(host.page, 1);
});

test('a goal and a step written by keyboard arrive at the other device', async () => {
  const page = host.page;
  await tabTo(page, '[data-testid=add-main-goal]', { backwards: true });
  await page.keyboard.press('Enter');
  // A new goal or step takes the focus into its first field.
  await expect.poll(() => focusIs(page, '[data-testid=goal-title]')).toBe(true);
  await page.keyboard.type(GOAL);
  await tabTo(page, '[data-testid=add-step]');
  await page.keyboard.press('Space');
  await expect.poll(() => focusIs(page, '[data-testid=step-what]')).toBe(true);
  await page.keyboard.type(STEP);
  await expect.poll(() => goalTitles(guest.page)).toEqual([GOAL]);
  await expect.poll(() => stepTexts(guest.page)).toEqual([STEP]);

  // The rich text (Ausgangslage): reached by Tab, written in, and left again by Tab.
  await tabTo(page, '[data-testid=richtext-ausgangslage] [contenteditable=true]', { backwards: true });
  await page.keyboard.type(SITUATION);
  await expect.poll(() => richText(guest.page)).toBe(SITUATION);
  await page.keyboard.press('Tab');
  expect(await focusIs(page, '[data-testid=richtext-ausgangslage] [contenteditable=true]')).toBe(false);
});

test('a partner with a consent is recorded by keyboard', async () => {
  const page = host.page;
  await tabTo(page, '[data-testid=add-partner]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-testid=partner-organisation]');
  await page.keyboard.type('Schuldnerberatung Nord');
  await tabTo(page, '[data-testid=partner-type]');
  await chooseByArrows(page, 'Schuldnerberatung');
  const group = '[data-testid=consent-partner]';
  await tabTo(page, `${group} [data-testid=add-consent]`);
  await page.keyboard.press('Enter');
  await tabTo(page, `${group} [data-testid=consent-topic-finanzen]`);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('consent-status').last()).toContainText(/gültig/);
});

test('a version is proposed and agreed by keyboard on both devices', async () => {
  await tabTo(host.page, '[data-testid=prepare-version]');
  await host.page.keyboard.press('Enter');
  await tabTo(host.page, '[data-testid=propose-version]');
  await host.page.keyboard.press('Enter');
  await expect(guest.page.getByTestId('version-pending')).toHaveAttribute('data-number', '1');
  for (const page of [host.page, guest.page]) {
    await tabTo(page, '[data-testid=version-accept]');
    await page.keyboard.press('Enter');
  }
  for (const page of [host.page, guest.page]) {
    await expect(page.locator('[data-testid=version-frozen][data-number="1"] [data-testid=version-verify]')).toHaveAttribute('data-state', 'ok');
  }
});

test('the client view and its Leichte Sprache switch by keyboard', async () => {
  const page = guest.page;
  await tabTo(page, '[data-testid=view-mine]', { backwards: true });
  await page.keyboard.press('Enter');
  const toggle = page.getByTestId('easy-language');
  await tabTo(page, '[data-testid=easy-language]');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('my-agreement')).toContainText('Meine nächsten Schritte');
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('my-agreement')).toContainText('Das mache ich als Nächstes');
  await expect(page.getByTestId('my-agreement')).not.toContainText('Meine nächsten Schritte');
  // Remembered on this device: still on after a reload.
  await page.reload();
  await expect(page.getByTestId('case-title')).toBeVisible();
  await tabTo(page, '[data-testid=view-mine]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('easy-language')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('my-agreement')).toContainText('Das mache ich als Nächstes');
  await tabTo(page, '[data-testid=easy-language]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('my-agreement')).toContainText('Meine nächsten Schritte');
});

test('removing someone asks first; the question takes focus and Escape gives it back', async () => {
  const page = host.page;
  // The guest reloaded her page in the last test: first she is back at the host's table.
  await expect(page.getByTestId('remove-participant')).toHaveCount(1);
  await tabTo(page, '[data-testid=remove-participant]', { backwards: true });
  const button = await page.evaluate(() => document.activeElement!.id);
  await page.keyboard.press('Enter');
  await expect.poll(() => focusIs(page, '[data-testid=confirm-remove]')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-remove')).toHaveCount(0);
  await expect.poll(() => focusIs(page, `#${button}`)).toBe(true);
  // Nobody was removed.
  await expectWebRtcPeers(page, 1);
});

test('a dialog takes focus, keeps Tab inside, closes with Escape and gives focus back', async () => {
  const page = host.page;
  await tabTo(page, '[data-testid=open-lock-settings]', { backwards: true });
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('lock-settings');
  await expect(dialog).toBeVisible();
  const where = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'browser'; // past the last control: the browser's own UI
      return el.closest('[data-testid=lock-settings]') ? 'dialog' : 'page';
    });
  expect(await where()).toBe('dialog');
  // The page behind is inert: Tab cycles through the dialog (and the browser's UI), never the page.
  const seen: string[] = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    seen.push(await where());
  }
  expect(seen).not.toContain('page');
  expect(seen.filter((w) => w === 'dialog').length).toBeGreaterThan(seen.length / 2);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await focusIs(page, '[data-testid=open-lock-settings]')).toBe(true);
});

test('focus was visible on every element reached', () => {
  expect([...invisibleFocus]).toEqual([]);
});

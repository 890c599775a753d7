import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { newParticipant, startApp, type Participant } from './app.ts';

// One person, one device: the tools around the plan (no peer needed, so none is started).
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let me: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  me = await newParticipant(browser);
});

test.afterAll(async () => {
  await me?.context.close();
  await server?.close();
});

const subGoalTitles = (page: Page) =>
  page
    .locator('[data-testid=goal][data-level=teil]')
    .getByTestId('goal-title')
    .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));

test('the empty case list loads scenario A as a demo case in one click', async () => {
  const page = me.page;
  await page.goto(server.url);
  await expect(page.getByTestId('no-cases')).toBeVisible();
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('case-title')).toHaveText('Fall: Jonas B.');
  await expect(page.getByTestId('quarantine')).toHaveCount(0);
  await expect(page.getByTestId('goal')).toHaveCount(5);
  await expect(page.getByTestId('step')).not.toHaveCount(0);
  await expect(page.getByTestId('quality-item').first()).toBeVisible();
});

test('Teilziele are reordered by keyboard and by drag and drop', async () => {
  const page = me.page;
  const [first, second, third] = await subGoalTitles(page);
  const row = (i: number) => page.getByTestId('priority-row').nth(i);

  // Keyboard: focus "↓" of the first Teilziel in the priority list and press Enter.
  await row(0).getByRole('button', { name: /Nach unten/ }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => subGoalTitles(page).then((t) => t.slice(0, 3))).toEqual([second, first, third]);
  // Focus stays on the moved goal's button, so pressing again keeps moving it.
  await expect(row(1).getByRole('button', { name: /Nach unten/ })).toBeFocused();

  // Drag and drop: the third row onto the first.
  await row(2).dragTo(row(0));
  await expect.poll(() => subGoalTitles(page).then((t) => t.slice(0, 3))).toEqual([third, second, first]);

  // The order is the document's: it survives a reload.
  await page.reload();
  await expect.poll(() => subGoalTitles(page).then((t) => t.slice(0, 3))).toEqual([third, second, first]);
});

test('a quality item leads to the entry that needs work', async () => {
  const page = me.page;
  const goal = page.getByTestId('goal').nth(1);
  await goal.getByTestId('goal-indicator').fill('');
  const item = page.locator('[data-testid=quality-item][data-rule=goalIndicator][data-status=red]');
  await expect(item).toHaveCount(1);
  await item.getByTestId('quality-show').click();
  await expect.poll(() => goal.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await goal.getByTestId('goal-indicator').fill('Abschlusszeugnis liegt vor');
  await expect(item).toHaveCount(0);
});

test('the conference agenda, decisions and tasks make up the minutes', async () => {
  const page = me.page;
  await page.getByTestId('add-agenda-default').click();
  await expect(page.getByTestId('agenda-item')).toHaveCount(7);
  await expect(page.getByTestId('agenda-title').first()).toHaveValue(/\S/);
  await page.getByTestId('agenda-done').first().check();
  await page.getByTestId('add-decision').click();
  await page.getByTestId('decision-text').last().fill('Jonas beginnt im Februar an der Abendschule');
  await page.getByTestId('add-task').click();
  await page.getByTestId('task-what').last().fill('Anmeldung an der Abendschule abschicken');
  await page.getByTestId('task-who').last().fill('Jonas');

  const minutes = page.getByTestId('minutes');
  await expect(minutes.getByTestId('minutes-agenda').locator('li')).toHaveCount(7);
  await expect(minutes.getByTestId('minutes-decisions')).toContainText('Jonas beginnt im Februar an der Abendschule');
  await expect(minutes.getByTestId('minutes-tasks')).toContainText('Anmeldung an der Abendschule abschicken');
  await expect(minutes.getByTestId('minutes-participants')).toContainText('Frau Aydin');
  await expect(minutes.getByTestId('minutes-dissents-resolved')).not.toBeEmpty();
});

import { readFile } from 'node:fs/promises';
import { expect, test, type Locator } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, goalTitles, invite, joinByLink, newParticipant, startApp, startConference, type Participant } from './app.ts';

let server: RunningServer;
let host: Participant;
let client: Participant;

const GOAL = 'Ausbildung als Tischler ab August';
const WORDS = 'Ich will mit Holz arbeiten';
const STEP = 'Praktikumsplatz in einer Tischlerei suchen';

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client]) await p?.context.close();
  await server?.close();
});

/** The entries of a history list as "who | what" lines, plus whether any is unconfirmed. */
async function lines(list: Locator): Promise<string[]> {
  return list.getByTestId('audit-entry').evaluateAll((items) =>
    items.map((li) => {
      const part = (id: string) => li.querySelector(`[data-testid=${id}]`)?.textContent?.trim() ?? '';
      const item = part('audit-item');
      return [part('audit-who'), ...(item ? [item] : []), part('audit-what'), li.getAttribute('data-verified')].join(' | ');
    }),
  );
}

test('two participants edit the same goal; its history and the case timeline name each of them', async () => {
  const A = host.page;
  const B = client.page;
  await createCase(A, server.url, 'Jonas B.');
  await startConference(A, 'Frau Aydin');
  await A.getByTestId('add-main-goal').click();
  await A.getByTestId('goal-title').first().fill(GOAL);
  await joinByLink(B, await invite(A, 'Jonas', 'Klient/in'), 'Jonas', 'Klient/in', A);
  await expect.poll(() => goalTitles(B)).toEqual([GOAL]);

  // The client writes their own words into the same goal; the host sees them.
  await B.getByTestId('goal-client-words').first().fill(WORDS);
  await expect(A.getByTestId('goal-client-words').first()).toHaveValue(WORDS);

  const expected = [
    `Jonas (Klient/in) | geändert: eigene Worte | true`,
    `Frau Aydin (Fallmanager/in) | geändert: Formulierung | true`,
    `Frau Aydin (Fallmanager/in) | angelegt | true`,
  ];
  for (const page of [A, B]) {
    const history = page.getByTestId('goal').first().getByTestId('audit-history');
    await history.locator('summary').click();
    // Many items have a "Verlauf": each says (to screen readers) whose it is.
    await expect(history.locator('summary')).toHaveText(`Verlauf: Ziel „${GOAL}“`);
    await expect.poll(() => lines(history)).toEqual(expected);
    await expect(history.getByTestId('audit-unconfirmed')).toHaveCount(0);

    const timeline = page.getByTestId('audit-timeline');
    await timeline.locator('summary').click();
    const item = `Ziel „${GOAL}“`;
    await expect
      .poll(() => lines(timeline))
      .toEqual(expected.map((line) => line.replace(' | ', ` | ${item} | `)));
  }

  // The trail follows later edits while it is open, and it stays after a reload.
  await B.getByTestId('goal-title').first().fill(`${GOAL} 2027`);
  await expect
    .poll(async () => (await lines(A.getByTestId('goal').first().getByTestId('audit-history')))[0])
    .toBe('Jonas (Klient/in) | geändert: Formulierung | true');
  await A.reload();
  const history = A.getByTestId('goal').first().getByTestId('audit-history');
  await history.locator('summary').click();
  await expect.poll(async () => (await lines(history)).length).toBe(4);

  // A step's Verlauf names who did what, and says when: date and time as shown in German.
  const before = Date.now();
  await A.getByTestId('add-step').click();
  await A.getByTestId('step').first().getByTestId('step-what').fill(STEP);
  await expect(B.getByTestId('step').first().getByTestId('step-what')).toHaveValue(STEP);
  await B.getByTestId('step').first().getByTestId('step-who').fill('Jonas selbst');
  await expect(A.getByTestId('step').first().getByTestId('step-who')).toHaveValue('Jonas selbst');
  const stepHistory = A.getByTestId('step').first().getByTestId('audit-history');
  await stepHistory.locator('summary').click();
  await expect.poll(() => stepHistory.getByTestId('audit-who').allTextContents()).toEqual(['Jonas (Klient/in)', 'Frau Aydin (Fallmanager/in)', 'Frau Aydin (Fallmanager/in)']);
  await expect(stepHistory.getByTestId('audit-what').last()).toHaveText('angelegt');
  const when = (await stepHistory.getByTestId('audit-when').first().textContent())!.trim();
  // e.g. "23.11.2026, 22:48" (an entry spanning a minute or more shows "from – until")
  const match = when.match(/(\d{2})\.(\d{2})\.(\d{4}), (\d{2}):(\d{2})$/);
  expect(match, when).not.toBeNull();
  const [, day, month, year, hour, minute] = match!.map(Number);
  const shown = new Date(year!, month! - 1, day!, hour!, minute!).getTime();
  expect(shown).toBeGreaterThanOrEqual(before - 60_000);
  expect(shown).toBeLessThanOrEqual(Date.now());

  // The client's right of access: one click in their own view, a readable German file.
  await B.getByTestId('view-mine').click();
  const downloading = B.waitForEvent('download');
  await B.getByTestId('download-my-data').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^meine-daten-\d{4}-\d{2}-\d{2}\.html$/);
  const html = await readFile(await download.path(), 'utf8');
  for (const text of [
    'Auskunft über Ihre gespeicherten Daten',
    'Art. 15 DSGVO',
    `${GOAL} 2027`,
    WORDS,
    'Teilnehmende',
    'Einwilligungen',
    'Verlauf: wer hat wann was geändert',
    'Jonas (Klient/in)',
    'Frau Aydin (Fallmanager/in)',
    'geändert: eigene Worte',
  ]) {
    expect(html).toContain(text);
  }
  expect(html).not.toMatch(/<script/i);
});

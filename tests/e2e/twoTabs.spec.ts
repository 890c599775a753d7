import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectWebRtcPeers,
  goalTitles,
  indexedDbDump,
  invite,
  joinByLink,
  newParticipant,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

let server: RunningServer;
let host: Participant;
let client: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  await host?.context.close();
  await client?.context.close();
  await server?.close();
});

/**
 * Two tabs of one browser (one context: same IndexedDB, same device) open the same case. One
 * tab edits at a time; the other says so and can take over, without losing the keystroke
 * typed just before, without writing anything twice, and still at the table.
 */
test('two tabs of one case: one edits at a time, taking over loses nothing and writes nothing twice', async () => {
  const caseId = await createCase(host.page, server.url, 'Dennis K.');
  await host.page.getByTestId('add-main-goal').click();
  await host.page.getByTestId('goal-title').first().fill('AGH-Stelle');
  await startConference(host.page, 'Herr Schmitt');
  const link = await invite(host.page, 'Dennis K.', 'Klient/in');
  await joinByLink(client.page, link, 'Dennis K.', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page);

  const second = await host.context.newPage();
  await second.goto(`${server.url}/#/case/${caseId}`);
  await expect(second.getByTestId('case-other-tab')).toContainText('in einem anderen Tab');
  await expect(second.getByTestId('goal-title')).toHaveCount(0);

  // The last keystroke in the first tab comes right before the second tab takes over.
  const first = host.page.getByTestId('goal-title').first();
  await first.press('End');
  await first.pressSequentially(' auf sechs Stunden');
  await second.getByTestId('case-take-over').click();
  await expect(host.page.getByTestId('case-other-tab')).toContainText('jetzt in einem anderen Tab');
  await expect(host.page.getByTestId('goal-title')).toHaveCount(0);
  await expect.poll(() => goalTitles(second)).toEqual(['AGH-Stelle auf sechs Stunden']);

  // The second tab is at the table now: the client sees its edit, and it sees the client's.
  await expectWebRtcPeers(second);
  await second.getByTestId('add-step').click();
  await second.getByTestId('step-what').last().fill('Termin bei der Schuldnerberatung');
  await expect(client.page.getByTestId('step-what').last()).toHaveValue('Termin bei der Schuldnerberatung');
  await client.page.getByTestId('goal-title').first().press('End');
  await client.page.getByTestId('goal-title').first().pressSequentially(' ab März');
  await expect.poll(() => goalTitles(second)).toEqual(['AGH-Stelle auf sechs Stunden ab März']);

  // And back to the first tab.
  await host.page.getByTestId('case-take-over').click();
  await expect(second.getByTestId('case-other-tab')).toBeVisible();
  await expect.poll(() => goalTitles(host.page)).toEqual(['AGH-Stelle auf sechs Stunden ab März']);
  await expect(host.page.getByTestId('step-what').last()).toHaveValue('Termin bei der Schuldnerberatung');

  // Nothing was stored twice: every row of the update log is different from every other.
  const rows = (await indexedDbDump(host.page, 'numbers'))
    .split('\n')
    .find((line) => line.startsWith('runder-tisch/updates: '))!;
  const updates = (JSON.parse(rows.slice('runder-tisch/updates: '.length)) as { docKey: string; update?: number[] }[])
    .filter((row) => row.docKey === `${caseId}/shared`)
    .map((row) => JSON.stringify(row.update));
  expect(updates.length).toBeGreaterThan(1);
  expect(new Set(updates).size).toBe(updates.length);
  await second.close();
});

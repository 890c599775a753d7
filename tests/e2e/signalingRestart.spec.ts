import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectWebRtcPeers,
  goalTitles,
  invite,
  joinByLink,
  newParticipant,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

/** The app from one server; signaling from another, which is the one that restarts. */
let app: RunningServer;
let signaling: RunningServer;
let host: Participant;
let client: Participant;

test.beforeAll(async ({ browser }) => {
  signaling = await startApp();
  app = await startApp({ signalingUrls: [signalingUrl(signaling)] });
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  await host?.context.close();
  await client?.context.close();
  await signaling?.close();
  await app?.close();
});

function signalingUrl(server: RunningServer): string {
  return `${server.url.replace(/^http/, 'ws')}/signal`;
}

/**
 * The signaling server goes down in the middle of a
 * conference and comes back on the same port. Nobody clicks anything: the pages reconnect by
 * themselves, and what was typed during the outage arrives.
 */
test('signaling restarts mid-conference: everyone reconnects by themselves, edits made meanwhile arrive', async () => {
  await createCase(host.page, app.url, 'Dennis K.');
  await host.page.getByTestId('add-main-goal').click();
  await host.page.getByTestId('goal-title').first().fill('AGH-Stelle');
  await startConference(host.page, 'Herr Schmitt');
  const link = await invite(host.page, 'Dennis K.', 'Klient/in');
  await joinByLink(client.page, link, 'Dennis K.', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page);
  await expect.poll(() => goalTitles(client.page)).toEqual(['AGH-Stelle']);
  const caseUrl = client.page.url();
  const port = signaling.port;

  await signaling.close();
  // The client's page goes away and comes back while there is no signaling: its only way back
  // to the table is through the signaling server, once it is there again.
  await client.page.reload();
  await expect(client.page.getByTestId('case-title')).toBeVisible();
  await expectWebRtcPeers(host.page, 0);
  const hostTitle = host.page.getByTestId('goal-title').first();
  await hostTitle.press('End');
  await hostTitle.pressSequentially(' auf sechs Stunden');
  await client.page.getByTestId('add-step').click();
  await client.page.getByTestId('step-what').last().fill('Termin bei der Schuldnerberatung');

  signaling = await startApp({ port });
  expect(signaling.port).toBe(port);
  await expectWebRtcPeers(host.page);
  await expectWebRtcPeers(client.page);
  await expect.poll(() => goalTitles(client.page)).toEqual(['AGH-Stelle auf sechs Stunden']);
  await expect(host.page.getByTestId('step-what').last()).toHaveValue('Termin bei der Schuldnerberatung');
  expect(client.page.url()).toBe(caseUrl);
});

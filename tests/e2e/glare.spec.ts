import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  caseRoomSecret,
  createCase,
  expectWebRtcPeers,
  goalTitles,
  invite,
  joinByLink,
  logTablesOnFailure,
  newParticipant,
  startApp,
  startConference,
  type Participant,
} from './app.ts';
import { GlareRelay } from './glareRelay.ts';

let server: RunningServer;
let host: Participant;
let guest: Participant;

test.afterEach(async ({}, info) => {
  await logTablesOnFailure(info, { host: host?.page, guest: guest?.page });
  for (const p of [host, guest]) await p?.context.close();
  await server?.close();
});

// Found as an intermittent failure after a reload (keyboard.spec.ts): when both devices start a
// handshake to each other at once, stock y-webrtc answers the other's offer on the connection
// that had made an offer of its own. Both sides then report the connection open, each sends on
// its own data channel and listens to no other: nothing ever arrives, not even presence.
test('two devices that start a handshake to each other at the same moment meet and sync', async ({ browser }) => {
  server = await startApp();
  const relay = new GlareRelay();
  host = await newParticipant(browser);
  guest = await newParticipant(browser);
  await relay.route(host.context);
  await relay.route(guest.context);

  await createCase(host.page, server.url, 'Mara S.');
  await host.page.getByTestId('add-main-goal').click();
  await host.page.getByTestId('goal-title').first().fill('Eigene Wohnung');
  await startConference(host.page, 'Frau Wolff');
  const link = await invite(host.page, 'Mara', 'Klient/in');
  await joinByLink(guest.page, link, 'Mara', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page);
  await expectWebRtcPeers(guest.page);

  const secret = await caseRoomSecret(host.page);
  await relay.arm(secret.roomId, secret.key);
  await guest.page.reload();
  await expect(guest.page.getByTestId('case-title')).toBeVisible();

  // The relay made the handshakes collide: the guest heard the host announce itself when it
  // announced, and both sent an offer before either offer arrived.
  await expect.poll(() => relay.held.announceReplayed).toBeGreaterThan(0);
  await expect.poll(() => relay.held.offers).toBeGreaterThanOrEqual(2);

  // They meet anyway: each sees the other at the table, and edits go both ways.
  await expect(host.page.getByTestId('presence')).toContainText('Mara – Klient/in');
  await expect(guest.page.getByTestId('presence')).toContainText('Frau Wolff – Fallmanager/in');
  await expectWebRtcPeers(host.page);
  await expectWebRtcPeers(guest.page);
  await guest.page.getByTestId('goal-title').first().fill('Eigene Wohnung in Nordstadt');
  await expect.poll(() => goalTitles(host.page)).toEqual(['Eigene Wohnung in Nordstadt']);
  await host.page.getByTestId('goal-client-words').first().fill('Ich will allein wohnen');
  await expect(guest.page.getByTestId('goal-client-words').first()).toHaveValue('Ich will allein wohnen');
});

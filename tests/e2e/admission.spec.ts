import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectWebRtcPeers, holdsAnyOf, invite, joinByLink, recordConsent, newParticipant, startApp, startConference, type Participant } from './app.ts';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let host: Participant;
let jonasLink = '';
const SECRET_GOAL = 'Schuldnerberatung bei der Caritas aufsuchen';
// Distinct from any example name in the app's own texts (the heap holds those).
const CASE_NAME = 'Jonas Bergmann-Quast';

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  await createCase(host.page, server.url, CASE_NAME);
  await host.page.getByTestId('add-main-goal').click();
  await host.page.getByTestId('goal-title').first().fill(SECRET_GOAL);
  await startConference(host.page, 'Frau Aydin');
});

test.afterAll(async () => {
  await host?.context.close();
  await server?.close();
});

test('a forwarded link gets its holder into the lobby, never to the case', async ({ browser }) => {
  jonasLink = await invite(host.page, 'Jonas', 'Klient/in');
  // Someone else got hold of Jonas' link and knocks first, in Jonas' name.
  const mallory = await newParticipant(browser);
  await joinByLink(mallory.page, jonasLink, 'Jonas', 'Klient/in', undefined, 'Jugendwerkstatt Ost');
  const malloryFingerprint = (await mallory.page.getByTestId('my-fingerprint').textContent())!.trim();
  const knock = host.page.locator('[data-testid=knock]').filter({ hasText: malloryFingerprint });
  await expect(knock).toBeVisible();
  // The knock shows everything the host has to judge it by: name, role, organisation, identifier.
  await expect(knock).toContainText('Jonas (Klient/in) über die Einladung für Jonas');
  await expect(knock).toContainText('Jugendwerkstatt Ost');
  // The host compares the identifier with the real Jonas and refuses.
  await knock.getByTestId('refuse').click();
  await expect(mallory.page.getByTestId('join-refused')).toBeVisible();

  expect(await holdsAnyOf(mallory.page, [SECRET_GOAL, CASE_NAME])).toEqual([]);
  const rooms = await mallory.page.evaluate(() => (window as unknown as { __runderTisch?: { rooms(): { kind: string }[] } }).__runderTisch?.rooms() ?? []);
  expect(rooms.filter((r) => r.kind === 'case')).toEqual([]);
  await mallory.context.close();

  // The real Jonas, on his own device, is let in through the same invite.
  const jonas = await newParticipant(browser);
  await joinByLink(jonas.page, jonasLink, 'Jonas', 'Klient/in', host.page);
  await expect(jonas.page.getByTestId('goal-title').first()).toHaveValue(SECRET_GOAL);
  // The same check finds the case on an admitted device: it would have caught a leak.
  expect(await holdsAnyOf(jonas.page, [SECRET_GOAL, CASE_NAME])).toEqual([SECRET_GOAL, CASE_NAME]);
  // The invite is used up once his device confirmed it has the key.
  await expect(host.page.locator('[data-testid=invite][data-invite-name=Jonas]')).toHaveAttribute('data-open', 'false');
  await expectWebRtcPeers(host.page);
  await jonas.context.close();
});

test('a refused person receives no case data at all', async ({ browser }) => {
  await recordConsent(host.page, 'Suchtberatung', 'suchtberatung', ['gesundheit']);
  const link = await invite(host.page, 'Herr Petrov', 'Netzwerkpartner/in', 'Suchtberatung');
  const petrov = await newParticipant(browser);
  await joinByLink(petrov.page, link, 'Herr Petrov', 'Netzwerkpartner/in');
  await host.page.locator('[data-testid=knock][data-name="Herr Petrov"]').getByTestId('refuse').click();
  await expect(petrov.page.getByTestId('join-refused')).toContainText('keine Falldaten');
  expect(await holdsAnyOf(petrov.page, [SECRET_GOAL, CASE_NAME])).toEqual([]);
  await petrov.context.close();
});

test('a withdrawn invite lets nobody knock', async ({ browser }) => {
  const link = await invite(host.page, 'Frau Lindqvist', 'Dolmetscher/in');
  await host.page.locator('[data-testid=invite][data-invite-name="Frau Lindqvist"]').getByTestId('withdraw-invite').click();
  await expect(host.page.locator('[data-testid=invite][data-invite-name="Frau Lindqvist"]')).toHaveAttribute('data-open', 'false');
  const guest = await newParticipant(browser);
  await joinByLink(guest.page, link, 'Frau Lindqvist', 'Dolmetscher/in');
  // The guest reached the signaling server and sits in the lobby room, alone: the host left it.
  await expect
    .poll(() =>
      guest.page.evaluate(() =>
        ((window as unknown as { __runderTisch?: { rooms(): { kind: string; webrtc: unknown[] }[] } }).__runderTisch?.rooms() ?? []).map(
          (r) => `${r.kind}:${r.webrtc.length}`,
        ),
      ),
    )
    .toEqual(['lobby:0']);
  await expect(host.page.locator('[data-testid=knock][data-name="Frau Lindqvist"]')).toHaveCount(0);
  expect(await holdsAnyOf(guest.page, [SECRET_GOAL])).toEqual([]);
  await guest.context.close();
});

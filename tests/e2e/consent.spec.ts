import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectWebRtcPeers,
  holdsAnyOf,
  invite,
  joinByLink,
  newParticipant,
  recordConsent,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

let server: RunningServer;
let host: Participant;
let petrov: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  petrov = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, petrov]) await p?.context.close();
  await server?.close();
});

test('a partner is let in only with a valid consent, and revoking it removes him from the table', async () => {
  const A = host.page;
  await createCase(A, server.url, 'Jonas Bergmann-Quast');
  await startConference(A, 'Frau Aydin');
  await A.getByTestId('add-partner').click();
  await A.getByTestId('partner-organisation').last().fill('Suchtberatung Nord');
  await A.getByTestId('partner-type').last().selectOption('suchtberatung');

  // Without a consent the host cannot let him in.
  const link = await invite(A, 'Herr Petrov', 'Netzwerkpartner/in', 'Suchtberatung Nord');
  await joinByLink(petrov.page, link, 'Herr Petrov', 'Netzwerkpartner/in');
  const knock = A.locator('[data-testid=knock][data-name="Herr Petrov"]');
  await expect(knock.getByTestId('knock-blocked')).toContainText('keine gültige Einwilligung');
  await expect(knock.getByTestId('admit')).toBeDisabled();

  // Jonas releases him for health only; now he may join.
  const group = A.getByTestId('consent-partner').filter({ hasText: 'Suchtberatung Nord' });
  await group.getByTestId('add-consent').click();
  await group.getByTestId('consent-topic-gesundheit').check();
  await expect(knock.getByTestId('knock-blocked')).toHaveCount(0);
  await knock.getByTestId('admit').click();
  await expect(petrov.page.getByTestId('case-title')).toBeVisible();
  await expectWebRtcPeers(A, 1);

  // The consent is revoked: he leaves the table at once and gets nothing written after.
  await group.getByTestId('consent-revoke').click();
  await A.getByTestId('consent-revoke-confirm').click();
  await expect(group.getByTestId('consent-status')).toContainText('widerrufen');
  await expect(petrov.page.getByTestId('removed-notice')).toBeVisible();
  await expectWebRtcPeers(A, 0);
  await A.getByTestId('add-main-goal').click();
  await A.getByTestId('goal-title').first().fill('Nach dem Widerruf geschrieben');
  await expect(A.getByTestId('goal-title').first()).toHaveValue('Nach dem Widerruf geschrieben');
  expect(await holdsAnyOf(petrov.page, ['Nach dem Widerruf geschrieben'])).toEqual([]);
});

import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectSaved,
  expectWebRtcPeers,
  indexedDbDump,
  invite,
  joinByLink,
  logTablesOnFailure,
  newParticipant,
  recordConsent,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

/**
 * Scenario C (issue 7): Herr Schmitt (U25) hands Dennis's case over to Frau Nowak (Ü25) at the
 * table with Dennis; the record is written together, her copy is verified and signed, the case
 * responsibility passes to her, his copy is deleted, and she hosts the next conference.
 */

let server: RunningServer;
let schmitt: Participant;
let nowak: Participant;
let dennis: Participant;
let brandt: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  schmitt = await newParticipant(browser);
  nowak = await newParticipant(browser);
  dennis = await newParticipant(browser);
  brandt = await newParticipant(browser);
});

test.afterEach(async ({}, info) => {
  await logTablesOnFailure(info, { schmitt: schmitt?.page, nowak: nowak?.page, dennis: dennis?.page, brandt: brandt?.page });
});

test.afterAll(async () => {
  for (const p of [schmitt, nowak, dennis, brandt]) await p?.context.close();
  await server?.close();
});

const CASE = 'Dennis K. Handover-Probe';
const STEP = 'Geldstrafen über das Gericht zusammenführen';
const CONTINUES = 'Schuldnerberatung der Caritas läuft weiter';
const ENDS = 'Aufsuchende Jugendarbeit endet';
const REPLACEMENT = 'Sozialpsychiatrischer Dienst übernimmt die Begleitung';
const MESSAGE = 'Ich bin morgens schwer erreichbar, bitte Termine ab 11 Uhr.';

function section(page: Page) {
  return page.getByTestId('handover');
}

test('scenario C: warm handover from U25 to Ü25 through to the deletion of the outgoing copy', async () => {
  const caseId = await createCase(schmitt.page, server.url, CASE);
  await schmitt.page.getByTestId('add-step').click();
  await schmitt.page.getByTestId('step-what').first().fill(STEP);
  await recordConsent(schmitt.page, 'Jugendhilfe Nord', 'jugendamt', ['finanzen']);
  await schmitt.page.getByTestId('partner-ends-at-25').check();
  await startConference(schmitt.page, 'Herr Schmitt');
  await joinByLink(dennis.page, await invite(schmitt.page, 'Dennis', 'Klient/in'), 'Dennis', 'Klient/in', schmitt.page);
  await joinByLink(nowak.page, await invite(schmitt.page, 'Frau Nowak', 'Nachfolge-Fallmanager/in'), 'Frau Nowak', 'Nachfolge-Fallmanager/in', schmitt.page);
  await expectWebRtcPeers(schmitt.page, 2);

  // Before the transfer the incoming case manager hosts nothing: no invitations, no lobby.
  await expect(nowak.page.getByTestId('case-title')).toBeVisible();
  await expect(nowak.page.getByTestId('invites')).toHaveCount(0);
  await expect(nowak.page.getByTestId('lobby')).toHaveCount(0);

  // Step 1: Herr Schmitt starts the handover; the partner that ends at 25 is listed already.
  await section(schmitt.page).getByTestId('handover-start').click();
  await expect(section(nowak.page).getByTestId('handover-item-text')).toHaveValue('Jugendhilfe Nord');

  // Step 2: the record, written together.
  await section(schmitt.page).getByTestId('handover-add-continues').click();
  await section(schmitt.page).locator('[data-testid=handover-item][data-kind=continues] [data-testid=handover-item-text]').fill(CONTINUES);
  await section(nowak.page).locator('[data-testid=handover-item][data-kind=ends] [data-testid=handover-item-replacement]').fill(REPLACEMENT);
  await section(schmitt.page).locator('[data-testid=handover-item][data-kind=ends] [data-testid=handover-item-text]').fill(ENDS);
  await section(dennis.page).getByTestId('handover-message').fill(MESSAGE);
  await section(schmitt.page).getByTestId('handover-takeover').selectOption({ label: 'Frau Nowak (Nachfolge-Fallmanager/in)' });
  for (const page of [schmitt.page, nowak.page, dennis.page]) {
    await expect(section(page).getByTestId('handover-message')).toHaveValue(MESSAGE);
    await expect(section(page).locator('[data-testid=handover-item][data-kind=continues] [data-testid=handover-item-text]')).toHaveValue(CONTINUES);
    await expect(section(page).locator('[data-testid=handover-item][data-kind=ends] [data-testid=handover-item-text]')).toHaveValue(ENDS);
    await expect(section(page).locator('[data-testid=handover-item][data-kind=ends] [data-testid=handover-item-replacement]')).toHaveValue(REPLACEMENT);
  }
  await expect(section(nowak.page).getByTestId('handover-takeover')).toHaveValue(/.+/);

  // Step 3: the case is offered, her copy verified against it, and the receipt signed.
  await section(schmitt.page).getByTestId('handover-offer').click();
  await expect(section(nowak.page).getByTestId('handover-verified')).toContainText('Vollständig erhalten und geprüft');
  // The case changes after the offer: Herr Schmitt's device offers it again by itself, and her
  // copy is checked against the new offer (a receipt names exactly one offer).
  const firstOffer = await section(nowak.page).getAttribute('data-offer-at');
  await dennis.page.getByTestId('step-what').first().fill(`${STEP} bis März`);
  await expect(nowak.page.getByTestId('step-what').first()).toHaveValue(`${STEP} bis März`);
  await expect(section(nowak.page)).not.toHaveAttribute('data-offer-at', firstOffer!);
  await expect(section(nowak.page).getByTestId('handover-verified')).toBeVisible();
  await section(nowak.page).getByTestId('handover-confirm').click();
  await expect(section(schmitt.page).getByTestId('handover-receipt-ok')).toContainText('Unterschrift gültig');

  // Step 4: the case responsibility passes to her: she hosts, he no longer does.
  await section(schmitt.page).getByTestId('handover-transfer').click();
  await expect(section(nowak.page).getByTestId('handover-transferred')).toContainText('Frau Nowak');
  await expect(nowak.page.getByTestId('invites')).toBeVisible();
  await expect(nowak.page.locator('.case-header .case-facts')).toContainText('Team Ü25');
  await expect(schmitt.page.getByTestId('invites')).toHaveCount(0);

  // Step 5: he gives the case up, after a clear confirmation.
  await section(schmitt.page).getByTestId('handover-giveup').click();
  await expect(section(schmitt.page).getByText('Das lässt sich nicht rückgängig machen')).toBeVisible();
  await section(schmitt.page).getByTestId('handover-giveup-confirm').click();
  await expect(schmitt.page.getByTestId('handed-over')).toContainText('an Frau Nowak (Team Ü25) übergeben');
  await expect(schmitt.page.getByRole('link', { name: CASE })).toHaveCount(0);
  // Nothing of the case is left on his device: no row under its id, none of its text.
  await expect.poll(async () => {
    const dump = await indexedDbDump(schmitt.page, 'text');
    return [caseId, CASE, STEP, CONTINUES, MESSAGE, 'Jugendhilfe Nord'].filter((s) => dump.includes(s));
  }).toEqual([]);
  expect(await schmitt.page.content()).not.toContain('Dennis');

  // The new host took his device off the table (a new room key); Dennis and she carry on. The
  // switch waits up to 10 s for every device's acknowledgement, hence the longer bound.
  await expect(section(nowak.page).getByTestId('handover-status')).toContainText('Herr Schmitt hat den Fall abgegeben');
  await expect(nowak.page.getByTestId('participant')).toHaveCount(2, { timeout: 30_000 });
  await expectWebRtcPeers(dennis.page, 1);
  await dennis.page.getByTestId('step-what').first().fill(`${STEP} – Termin steht`);
  await expect(nowak.page.getByTestId('step-what').first()).toHaveValue(`${STEP} – Termin steht`);
  await expectSaved(nowak.page);

  // She hosts the next conference: invites Frau Brandt from the youth service and lets her in.
  await joinByLink(brandt.page, await invite(nowak.page, 'Frau Brandt', 'Netzwerkpartner/in', 'Jugendhilfe Nord'), 'Frau Brandt', 'Netzwerkpartner/in', nowak.page);
  await expect(brandt.page.getByTestId('step-what').first()).toHaveValue(`${STEP} – Termin steht`);
  await expectWebRtcPeers(nowak.page, 2);
});

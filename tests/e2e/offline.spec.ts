import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectSaved,
  expectWebRtcPeers,
  goalTitles,
  invite,
  joinByLink,
  newParticipant,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

let server: RunningServer;
let a: Participant;
let b: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  a = await newParticipant(browser);
  b = await newParticipant(browser);
});

test.afterAll(async () => {
  await a?.context.close();
  await b?.context.close();
  await server?.close();
});

function stepField(p: Participant, testid: string, index: number) {
  return p.page.getByTestId(testid).nth(index);
}

test('edits made while one side is offline merge when they meet again, nothing lost', async () => {
  await createCase(a.page, server.url, 'Frau Demir');
  await a.page.getByTestId('add-main-goal').click();
  await a.page.getByTestId('goal-title').first().fill('wieder arbeiten');
  for (const what of ['Termin beim Ärztlichen Dienst', 'Hortplatz beantragen']) {
    await a.page.getByTestId('add-step').click();
    await a.page.getByTestId('step-what').last().fill(what);
  }
  await startConference(a.page, 'Herr Schmitt');
  const link = await invite(a.page, 'Frau Demir', 'Klient/in');
  await joinByLink(b.page, link, 'Frau Demir', 'Klient/in', a.page);
  await expectWebRtcPeers(a.page);
  await expect.poll(() => goalTitles(b.page)).toEqual(['wieder arbeiten']);
  await expect(stepField(b, 'step-what', 1)).toHaveValue('Hortplatz beantragen');

  await b.context.setOffline(true);
  // A real partition: both sides have dropped the data channel before anyone types.
  await expectWebRtcPeers(a.page, 0);
  await expectWebRtcPeers(b.page, 0);

  // Same goal, same field, from both sides; and different steps.
  const titleA = a.page.getByTestId('goal-title').first();
  await titleA.press('Home');
  await titleA.pressSequentially('Teilzeit: ');
  const titleB = b.page.getByTestId('goal-title').first();
  await titleB.press('End');
  await titleB.pressSequentially(', aber nur vormittags');
  await stepField(a, 'step-who', 0).fill('Herr Schmitt');
  await stepField(b, 'step-who', 1).fill('Frau Demir');
  await b.page.getByTestId('goal-client-words').first().fill('Ich will wieder arbeiten, aber nur vormittags');
  await expectSaved(a.page);
  await expectSaved(b.page);
  // While apart, neither has the other's edits.
  await expect(a.page.getByTestId('goal-title').first()).toHaveValue('Teilzeit: wieder arbeiten');
  await expect(b.page.getByTestId('goal-title').first()).toHaveValue('wieder arbeiten, aber nur vormittags');

  await b.context.setOffline(false);
  await expectWebRtcPeers(a.page);
  await expectWebRtcPeers(b.page);

  const merged = 'Teilzeit: wieder arbeiten, aber nur vormittags';
  for (const p of [a, b]) {
    await expect(p.page.getByTestId('goal-title').first()).toHaveValue(merged);
    await expect(stepField(p, 'step-who', 0)).toHaveValue('Herr Schmitt');
    await expect(stepField(p, 'step-who', 1)).toHaveValue('Frau Demir');
    await expect(p.page.getByTestId('goal-client-words').first()).toHaveValue(
      'Ich will wieder arbeiten, aber nur vormittags',
    );
    await expect(stepField(p, 'step-what', 0)).toHaveValue('Termin beim Ärztlichen Dienst');
  }

  // And the merged state is what each device stored.
  await expectSaved(b.page);
  await b.page.reload();
  await expect(b.page.getByTestId('goal-title').first()).toHaveValue(merged);
});

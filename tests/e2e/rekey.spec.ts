import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import * as Y from 'yjs';
import {
  caseRoomSecret,
  createCase,
  expectWebRtcPeers,
  holdsAnyOf,
  invite,
  joinByLink,
  newParticipant,
  recordConsent,
  startApp,
  startConference,
  stepTexts,
  type Participant,
} from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';
import { received, recordDataChannels } from './wire.ts';

let server: RunningServer;
let host: Participant;
let client: Participant;
let partner: Participant;

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
  partner = await newParticipant(browser);
  await recordDataChannels(partner.page);
});

test.afterAll(async () => {
  for (const p of [host, client, partner]) await p?.context.close();
  await server?.close();
});

function caseRoom(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      (window as unknown as { __runderTisch: { rooms(): { kind: string; roomId: string }[] } }).__runderTisch
        .rooms()
        .find((r) => r.kind === 'case')?.roomId,
  );
}

test('a device offline during a removal finds the new key in the old room and follows, without a new invite', async () => {
  const A = host.page;
  const B = client.page;
  const C = partner.page;
  await createCase(A, server.url, 'Jonas Bergmann-Quast');
  await A.getByTestId('add-main-goal').click();
  await A.getByTestId('goal-title').first().fill('Vor der Entfernung');
  await startConference(A, 'Frau Aydin');
  await joinByLink(B, await invite(A, 'Jonas', 'Klient/in'), 'Jonas', 'Klient/in', A);
  await recordConsent(A, 'Caritas Schuldnerberatung', 'schuldnerberatung', ['finanzen']);
  await joinByLink(C, await invite(A, 'Herr Wolff', 'Netzwerkpartner/in', 'Caritas Schuldnerberatung'), 'Herr Wolff', 'Netzwerkpartner/in', A);
  await expectWebRtcPeers(A, 2);
  await expect(C.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  await expect(B.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  const oldRoom = await caseRoom(A);
  expect(await caseRoom(B)).toBe(oldRoom);

  // The client's device drops off the network and keeps working there.
  await client.context.setOffline(true);
  await expectWebRtcPeers(B, 0);
  await expectWebRtcPeers(A, 1);
  await B.getByTestId('add-step').click();
  await B.getByTestId('step-what').first().fill('Offline geschrieben: Bewerbung an die Abendschule');

  // Meanwhile the host removes the partner; the case moves to a new room.
  const wolff = A.locator('[data-testid=participant]').filter({ hasText: 'Herr Wolff' });
  await wolff.getByTestId('remove-participant').click();
  await A.getByTestId('confirm-remove').click();
  await expect(C.getByTestId('removed-notice')).toContainText('bleibt hier');
  await expect.poll(() => caseRoom(A)).not.toBe(oldRoom);
  const newRoom = await caseRoom(A);
  await A.getByTestId('goal-title').first().fill('Nach der Entfernung: Abendschule');

  // Someone still sits in the old room with its key, as a removed device with a modified app
  // could: a stock y-webrtc client. It meets the host's beacon there.
  const old = await caseRoomSecret(B);
  expect(old.roomId).toBe(oldRoom);
  const lurker = stockPeer(old.roomId, old.key, `${server.url.replace('http', 'ws')}/signal`);
  try {
    await expect.poll(() => connectedPeers(lurker.provider)).toBeGreaterThan(0);

    // The client comes back: it finds the host's beacon in the old room and follows.
    await client.context.setOffline(false);
    await expect.poll(() => caseRoom(B), { timeout: 60_000 }).toBe(newRoom);
    // It looked into the old room with the keyring only: its offline edit never went there.
    const seen = new TextDecoder().decode(Y.encodeStateAsUpdate(lurker.doc));
    expect(seen).not.toContain('Offline geschrieben');
    expect(seen).not.toContain('Nach der Entfernung');
    expect(seen).not.toContain('Vor der Entfernung');
  } finally {
    lurker.provider.destroy();
    lurker.doc.destroy();
  }
  await expectWebRtcPeers(A, 1);
  await expectWebRtcPeers(B, 1);
  await expect(B.getByTestId('removed-notice')).toHaveCount(0);

  // Edits flow both ways: the offline one, and new ones.
  await expect(B.getByTestId('goal-title').first()).toHaveValue('Nach der Entfernung: Abendschule');
  await expect.poll(() => stepTexts(A)).toEqual(['Offline geschrieben: Bewerbung an die Abendschule']);
  await B.getByTestId('goal-client-words').first().fill('Ich will abends lernen');
  await expect(A.getByTestId('goal-client-words').first()).toHaveValue('Ich will abends lernen');

  // None of it reaches the removed partner: not his page, storage, memory, nor his wire.
  const after = ['Nach der Entfernung', 'Offline geschrieben', 'Ich will abends lernen'];
  expect(await holdsAnyOf(C, after)).toEqual([]);
  const wire = (await received(C)).join('\n');
  expect(wire).toContain('Vor der Entfernung');
  for (const text of after) expect(wire).not.toContain(text);
  // The texts are in plain sight on the client, so the checks above can find them.
  expect(await holdsAnyOf(B, after)).toEqual(after);
});

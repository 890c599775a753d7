import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  caseRoomSecret,
  createCase,
  expectWebRtcPeers,
  holdsAnyOf,
  invite,
  recordConsent,
  joinByLink,
  newParticipant,
  startApp,
  startConference,
  type Participant,
} from './app.ts';
import { stockPeer } from './stockPeer.ts';

let server: RunningServer;
let a: Participant;
let b: Participant;
let c: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  a = await newParticipant(browser);
  b = await newParticipant(browser);
  c = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [a, b, c]) await p?.context.close();
  await server?.close();
});

/** The id of the case room the page is in; null while it moves from one room to the next. */
const caseRoom = (page: Participant['page']) =>
  page.evaluate(() => (window as unknown as { __runderTisch: { rooms(): { kind: string; roomId: string }[] } }).__runderTisch.rooms().find((r) => r.kind === 'case')?.roomId ?? null);

test('a removed participant gets nothing edited after the removal; the others carry on in a new room', async () => {
  await createCase(a.page, server.url, 'Jonas Bergmann-Quast');
  await a.page.getByTestId('add-main-goal').click();
  await a.page.getByTestId('goal-title').first().fill('Vor der Entfernung');
  await startConference(a.page, 'Frau Aydin');
  await joinByLink(b.page, await invite(a.page, 'Jonas', 'Klient/in'), 'Jonas', 'Klient/in', a.page);
  await recordConsent(a.page, 'Caritas Schuldnerberatung', 'schuldnerberatung', ['finanzen']);
  await joinByLink(c.page, await invite(a.page, 'Herr Wolff', 'Netzwerkpartner/in', 'Caritas Schuldnerberatung'), 'Herr Wolff', 'Netzwerkpartner/in', a.page);
  await expectWebRtcPeers(a.page, 2);
  await expect(c.page.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  const oldRoom = await caseRoom(a.page);
  expect(oldRoom).not.toBeNull();

  const wolff = a.page.locator('[data-testid=participant]').filter({ hasText: 'Herr Wolff' });
  await wolff.getByTestId('remove-participant').click();
  await expect(a.page.getByText('bleibt auf dem Gerät')).toBeVisible();
  await a.page.getByTestId('confirm-remove').click();

  // The removed person is told, honestly, and leaves the room.
  await expect(c.page.getByTestId('removed-notice')).toContainText('bleibt hier');
  // The others are together again, in a different room. The old room also holds one peer for a
  // moment after the removed device leaves it, so the move is awaited before the peers are counted.
  await expect.poll(async () => [oldRoom, null].includes(await caseRoom(a.page))).toBe(false);
  const newRoom = await caseRoom(a.page);
  await expect.poll(() => caseRoom(b.page)).toBe(newRoom);
  await expectWebRtcPeers(a.page, 1);
  await expectWebRtcPeers(b.page, 1);
  await expect(a.page.getByTestId('participant')).toHaveCount(2);

  // Work goes on; none of it reaches the removed device.
  await a.page.getByTestId('goal-title').first().fill('Nach der Entfernung: Abendschule');
  await b.page.getByTestId('add-step').click();
  await b.page.getByTestId('step-what').first().fill('Geheimer Schritt nach der Entfernung');
  await expect(b.page.getByTestId('goal-title').first()).toHaveValue('Nach der Entfernung: Abendschule');
  await expect(a.page.getByTestId('step-what').first()).toHaveValue('Geheimer Schritt nach der Entfernung');
  await expect(c.page.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  expect(await holdsAnyOf(c.page, ['Nach der Entfernung', 'Geheimer Schritt'])).toEqual([]);
  // What they had before stays (the app says so; it cannot take it back).
  expect(await holdsAnyOf(c.page, ['Vor der Entfernung'])).toEqual(['Vor der Entfernung']);

  // After a reload the remaining people meet in the new room by themselves.
  await b.page.reload();
  await expectWebRtcPeers(b.page, 1);
  await expect(c.page.getByTestId('removed-notice')).toBeVisible();

  // Presence shows the admission record: both people at the table are confirmed.
  await expect(a.page.locator('[data-testid=participant][data-verified=confirmed]')).toHaveCount(2);
  await expect(a.page.locator('[data-testid=participant]').filter({ hasText: 'Jonas' })).toContainText('Klient/in');
  // A device with the room key that was never let in (a stock y-webrtc client) may call itself
  // anything; it is shown as not confirmed.
  const { roomId, key } = await caseRoomSecret(a.page);
  const impostor = stockPeer(roomId, key, `${server.url.replace('http', 'ws')}/signal`);
  try {
    impostor.provider.awareness.setLocalStateField('user', {
      name: 'Frau Aydin',
      role: 'fallmanager',
      color: '#455a64',
      fingerprint: 'ABCD EF01 2345 6789',
    });
    for (const page of [a.page, b.page]) {
      const claimed = page.locator('[data-testid=participant][data-verified=unconfirmed]');
      await expect(claimed).toContainText('Frau Aydin');
      await expect(claimed.getByTestId('presence-unconfirmed')).toContainText('nicht bestätigt');
    }
    await expect(a.page.locator('[data-testid=participant][data-verified=confirmed]')).toHaveCount(2);
  } finally {
    impostor.provider.destroy();
    impostor.doc.destroy();
  }
});

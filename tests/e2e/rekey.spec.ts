import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { caseRoomId, caseRoomSecret, createCase, expectWebRtcPeers, holdsAnyOf, invite, movedCaseRoom, stepTexts } from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';
import { threeAtTheTable, seat } from './table.ts';
import { received } from './wire.ts';

const table = threeAtTheTable();

test.describe.configure({ timeout: 180_000 });

test('a device offline during a removal finds the new key in the old room and follows, without a new invite', async () => {
  const A = table.host.page;
  const B = table.client.page;
  const C = table.partner.page;
  await createCase(A, table.server.url, 'Jonas Bergmann-Quast');
  await A.getByTestId('add-main-goal').click();
  await A.getByTestId('goal-title').first().fill('Vor der Entfernung');
  await seat(A, B, C, {
    hostName: 'Frau Aydin',
    clientName: 'Jonas',
    partner: { name: 'Herr Wolff', organisation: 'Caritas Schuldnerberatung', type: 'schuldnerberatung', topics: ['finanzen'] },
  });
  await expect(C.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  await expect(B.getByTestId('goal-title').first()).toHaveValue('Vor der Entfernung');
  const oldRoom = await caseRoomId(A);
  expect(await caseRoomId(B)).toBe(oldRoom);

  // The client's device drops off the network and keeps working there.
  await table.client.context.setOffline(true);
  await expectWebRtcPeers(B, 0);
  await expectWebRtcPeers(A, 1);
  await B.getByTestId('add-step').click();
  await B.getByTestId('step-what').first().fill('Offline geschrieben: Bewerbung an die Abendschule');

  // Meanwhile the host removes the partner; the case moves to a new room.
  const wolff = A.locator('[data-testid=participant]').filter({ hasText: 'Herr Wolff' });
  await wolff.getByTestId('remove-participant').click();
  await A.getByTestId('confirm-remove').click();
  await expect(C.getByTestId('removed-notice')).toContainText('bleibt hier');
  const newRoom = await movedCaseRoom(A, oldRoom);
  await A.getByTestId('goal-title').first().fill('Nach der Entfernung: Abendschule');

  // Someone still sits in the old room with its key, as a removed device with a modified app
  // could: a stock y-webrtc client. It meets the host's beacon there.
  const old = await caseRoomSecret(B);
  expect(old.roomId).toBe(oldRoom);
  const lurker = stockPeer(old.roomId, old.key, `${table.server.url.replace('http', 'ws')}/signal`);
  try {
    await expect.poll(() => connectedPeers(lurker.provider)).toBeGreaterThan(0);

    // The client comes back: it finds the host's beacon in the old room and follows.
    await table.client.context.setOffline(false);
    await expect.poll(() => caseRoomId(B), { timeout: 60_000 }).toBe(newRoom);
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

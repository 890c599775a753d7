import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { readKeyring } from '../../src/case/keyring.ts';
import { caseRoomId, caseRoomSecret, expectWebRtcPeers, movedCaseRoom } from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';
import { newCaseAtTheTable, threeAtTheTable } from './table.ts';

/**
 * The host's beacon in a room the case left, met by a device that is still there as a full
 * peer, with its case document (it missed the rotation while its connection was down, say):
 * the beacon hands it the new key and takes none of its case content in. Two stock y-webrtc
 * clients in Node play those devices, one after the other (one per process: y-webrtc links
 * providers in one process over BroadcastChannel).
 */

const table = threeAtTheTable();

test.describe.configure({ timeout: 120_000 });

test('a full peer left in the old room gets its key from the beacon, which keeps none of its case content', async () => {
  const A = table.host.page;
  const B = table.client.page;
  await newCaseAtTheTable(table, 'Lea Beacon-Probe', {
    hostName: 'Frau Aydin',
    clientName: 'Lea',
    partner: { name: 'Herr Wolff', organisation: 'Caritas Schuldnerberatung', type: 'schuldnerberatung', topics: ['finanzen'] },
  });
  const old = await caseRoomSecret(B);

  // The host removes the partner: the case moves to a new room; the host keeps a beacon in the old one.
  const wolff = A.locator('[data-testid=participant]').filter({ hasText: 'Herr Wolff' });
  await wolff.getByTestId('remove-participant').click();
  await A.getByTestId('confirm-remove').click();
  const newRoom = await movedCaseRoom(A, old.roomId);
  await expect.poll(() => caseRoomId(B)).toBe(newRoom);
  await expectWebRtcPeers(B, 1);

  const signaling = `${table.server.url.replace('http', 'ws')}/signal`;
  // A device still in the old room with its case document: it gets the keyring entry for the new room.
  const behind = stockPeer(old.roomId, old.key, signaling);
  behind.doc.getMap('goals').set('left-behind', 'Ziel, das nur dieses Gerät kennt');
  try {
    await expect.poll(() => readKeyring(behind.doc).map((e) => e.roomId)).toContain(newRoom);
    expect(connectedPeers(behind.provider)).toBe(1);
  } finally {
    // Quietly, as the app leaves rooms (rekeyBeacon.ts, destroyQuietly): stock y-webrtc answers
    // its connections closing after destroy by announcing the destroyed room again, a ghost the
    // next client in this process would be paired with.
    behind.provider.room?.webrtcConns.forEach((conn) => (conn.peer as { removeAllListeners(event: string): void }).removeAllListeners('close'));
    behind.provider.destroy();
    behind.doc.destroy();
    // y-webrtc lets go of the room name once the key is resolved: only then can it be joined again.
    await behind.provider.key;
    await Promise.resolve();
  }

  // The next one to look in meets the beacon at once (it did not shut down on meeting the case
  // content), and finds no trace of that content in it.
  const next = stockPeer(old.roomId, old.key, signaling);
  try {
    // Connecting takes a few seconds under load (two WebRTC set-ups in a row through signaling).
    await expect.poll(() => connectedPeers(next.provider), { timeout: 45_000 }).toBeGreaterThan(0);
    await expect.poll(() => readKeyring(next.doc).map((e) => e.roomId)).toContain(newRoom);
    expect(next.doc.getMap('goals').size).toBe(0);
    expect(new TextDecoder().decode(Y.encodeStateAsUpdate(next.doc))).not.toContain('nur dieses Gerät');
  } finally {
    next.provider.destroy();
    next.doc.destroy();
  }
});

import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import type { RunningServer } from '../../src/server/app.ts';
import { FLOOD_LIMITS } from '../../src/sync/floodGuard.ts';
import {
  caseRoomSecret,
  createCase,
  expectWebRtcPeers,
  invite,
  joinByLink,
  newParticipant,
  richText,
  startApp,
  startConference,
  type Participant,
} from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';

/**
 * A device at the table (here an unmodified y-webrtc client holding the room key, as a broken
 * or hostile tool would) sends updates as fast as it can. Each app device stops listening to it
 * once it is over its budget (src/sync/floodGuard.ts), says so, and the two people go on
 * writing together as before.
 */

/** Far over any budget, however fast this machine sends and the pages take it in. */
const FLOOD = 10 * FLOOD_LIMITS.burstMessages;

let server: RunningServer;
let host: Participant;
let client: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client]) await p?.context.close();
  await server?.close();
});

/** Paragraphs starting with `word` in the rich text a page holds. */
async function paragraphs(page: Participant['page'], word: string): Promise<number> {
  return (await richText(page)).split(`${word} `).length - 1;
}

/** One transaction per paragraph: each is a message of its own to every peer. */
function send(doc: Y.Doc, word: string, count: number): void {
  const fragment = doc.getXmlFragment('ausgangslage');
  for (let i = 0; i < count; i++) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`${word} ${i}`)]);
    fragment.insert(fragment.length, [paragraph]);
  }
}

test('a peer flooding the table with updates is not listened to for a while; the others go on together', async () => {
  await createCase(host.page, server.url, 'Dennis K. Flutprobe');
  await startConference(host.page, 'Frau Aydin');
  await joinByLink(client.page, await invite(host.page, 'Dennis', 'Klient/in'), 'Dennis', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page, 1);

  const { roomId, key } = await caseRoomSecret(host.page);
  const peer = stockPeer(roomId, key, `${server.url.replace('http', 'ws')}/signal`);
  try {
    await expect.poll(() => connectedPeers(peer.provider)).toBe(2);
    await expectWebRtcPeers(host.page, 2);
    send(peer.doc, 'Flut', FLOOD);

    // Both app devices say that they stopped listening to one device.
    for (const page of [host.page, client.page]) {
      await expect(page.getByTestId('flood-cut-off')).toContainText('eine Minute lang nicht zu');
    }
    // From then on nothing it sends is taken in.
    send(peer.doc, 'Nachflut', 50);

    // The two people write on together, both ways, while the flooding device is still there.
    await host.page.getByTestId('add-main-goal').click();
    await host.page.getByTestId('goal-title').first().fill('Eigene Wohnung bis Herbst');
    await expect(client.page.getByTestId('goal-title').first()).toHaveValue('Eigene Wohnung bis Herbst');
    await client.page.getByTestId('goal-title').first().fill('Eigene Wohnung bis Oktober');
    await expect(host.page.getByTestId('goal-title').first()).toHaveValue('Eigene Wohnung bis Oktober');
    // The flood before the cut-off was taken in only in part; nothing after it.
    for (const page of [host.page, client.page]) {
      expect(await paragraphs(page, 'Flut')).toBeLessThan(FLOOD);
      expect(await paragraphs(page, 'Nachflut')).toBe(0);
    }
  } finally {
    peer.provider.destroy();
    peer.doc.destroy();
  }
});

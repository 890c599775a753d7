import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import {
  createCase,
  expectWebRtcPeers,
  goalTitles,
  invite,
  recordConsent,
  caseRoomSecret,
  joinByLink,
  newParticipant,
  richText,
  startApp,
  startConference,
  stepTexts,
} from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';

test('a stock y-webrtc client connects through our signaling server and syncs with the app', async ({ browser }) => {
  const server = await startApp();
  const a = await newParticipant(browser);
  try {
    await createCase(a.page, server.url, 'Dennis K.');
    await a.page.getByTestId('add-main-goal').click();
    await a.page.getByTestId('goal-title').first().fill('AGH-Stelle auf 6 Stunden');
    await startConference(a.page, 'Herr Schmitt');
    // The stock client plays a device that was already admitted: it holds the case room key.
    const { roomId, key } = await caseRoomSecret(a.page);

    const peer = stockPeer(roomId, key, `${server.url.replace('http', 'ws')}/signal`);
    try {
      await expect.poll(() => connectedPeers(peer.provider)).toBe(1);
      await expectWebRtcPeers(a.page);
      await expect.poll(() => peer.doc.getMap('meta').get('displayName')).toBe('Dennis K.');

      // The stock client writes plain Yjs in our schema: the app shows it.
      const goal = [...peer.doc.getMap('goals').values()][0] as Y.Map<unknown>;
      const title = goal.get('title') as Y.Text;
      peer.doc.transact(() => title.insert(title.length, ' am Tag'));
      await expect.poll(() => goalTitles(a.page)).toEqual(['AGH-Stelle auf 6 Stunden am Tag']);

      // Then it writes what our schema forbids: the app keeps going, shows the rest,
      // lists the bad entries, and the raw data stays in the document.
      peer.doc.transact(() => {
        peer.doc.getMap('goals').set('kaputt', 'kein Ziel');
        const wrong = new Y.Map<unknown>();
        peer.doc.getMap('steps').set('9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d', wrong);
        wrong.set('id', '9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d');
        wrong.set('what', 12345);
        wrong.set('status', 'explodiert');
      });
      await expect(a.page.getByTestId('quarantine')).toContainText('Nicht lesbare Einträge (2)');
      await expect.poll(() => goalTitles(a.page)).toEqual(['AGH-Stelle auf 6 Stunden am Tag']);
      await a.page.getByTestId('add-step').click();
      await a.page.getByTestId('step-what').first().fill('Strafen zusammenführen');
      await expect.poll(() => stepTexts(a.page)).toEqual(['Strafen zusammenführen']);
      await expect.poll(() => peer.doc.getMap('steps').size).toBe(2);
      // Still there after a reload: quarantined, not deleted.
      await a.page.reload();
      await expect(a.page.getByTestId('quarantine')).toContainText('Nicht lesbare Einträge (2)');
    } finally {
      peer.provider.destroy();
      peer.doc.destroy();
    }
  } finally {
    await a.context.close();
    await server.close();
  }
});

test('a stock y-webrtc client receives a case state larger than one chunk, whole, as stock y-webrtc sends it', async ({ browser }) => {
  const server = await startApp();
  const a = await newParticipant(browser);
  try {
    await createCase(a.page, server.url, 'Dennis K.');
    // About 150 KB: above our 64 KiB chunk size, below Chromium's 256 KiB limit.
    const words: string[] = [];
    for (let i = 0; words.join(' ').length < 150_000; i++) words.push(`Fallnotiz${i}`);
    const text = `${words.join(' ')} Ende`;
    await a.page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]').click();
    await a.page.keyboard.insertText(text);
    await expect.poll(() => richText(a.page)).toBe(text);
    await startConference(a.page, 'Herr Schmitt');
    const { roomId, key } = await caseRoomSecret(a.page);

    const peer = stockPeer(roomId, key, `${server.url.replace('http', 'ws')}/signal`);
    try {
      await expect.poll(() => connectedPeers(peer.provider)).toBe(1);
      const fragment = peer.doc.getXmlFragment('ausgangslage');
      await expect.poll(() => fragment.toString().includes('Fallnotiz9999 ')).toBe(true);
      expect(fragment.toString()).toContain(' Ende');
      // And the other way, still: the stock client writes, the app shows it.
      peer.doc.getMap('meta').set('displayName', 'Dennis K. (Stock)');
      await expect(a.page.getByTestId('case-title')).toHaveText('Fall: Dennis K. (Stock)');
    } finally {
      peer.provider.destroy();
      peer.doc.destroy();
    }
  } finally {
    await a.context.close();
    await server.close();
  }
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

async function startStockSignaling(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve('node_modules/y-webrtc/bin/server.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // It prints one line once it listens.
  await new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`stock server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running')) resolveReady();
    });
  });
  return { url: `ws://127.0.0.1:${port}`, child };
}

test("our app connects through y-webrtc's own signaling server", async ({ browser }) => {
  const stock = await startStockSignaling();
  // Our server only serves the app; its runtime config points the app at the stock server.
  const server = await startApp({ signalingUrls: [stock.url] });
  const a = await newParticipant(browser);
  const b = await newParticipant(browser);
  try {
    await createCase(a.page, server.url, 'Jonas B.');
    await startConference(a.page, 'Frau Aydin');
    await recordConsent(a.page, 'Caritas Schuldnerberatung', 'schuldnerberatung', ['finanzen']);
    const link = await invite(a.page, 'Herr Wolff', 'Netzwerkpartner/in', 'Caritas Schuldnerberatung');
    await joinByLink(b.page, link, 'Herr Wolff', 'Netzwerkpartner/in', a.page);
    await expectWebRtcPeers(a.page);
    await expectWebRtcPeers(b.page);
    expect(server.signaling.stats().connections).toBe(0);
    await b.page.locator('.rich-text-content').click();
    await b.page.keyboard.type('Schuldnerakte ist angelegt.');
    await expect.poll(() => richText(a.page)).toBe('Schuldnerakte ist angelegt.');
  } finally {
    await a.context.close();
    await b.context.close();
    await server.close();
    stock.child.kill();
  }
});

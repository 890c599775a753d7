import { expect, test, type Page } from '@playwright/test';
import {
  createCase,
  expectWebRtcPeers,
  invite,
  joinByLink,
  newParticipant,
  richText,
  startApp,
  startConference,
} from './app.ts';

/**
 * Chromium refuses data-channel messages over 256 KiB, so a case whose state is larger could
 * never reach a late joiner in one message. Every message this test's pages send is recorded
 * by size: none may be over 64 KiB, and the whole case still arrives.
 */
test.describe.configure({ timeout: 180_000 });

async function recordSentSizes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const sizes: number[] = [];
    (window as unknown as { __sent: number[] }).__sent = sizes;
    const send = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
      const d = data as unknown;
      sizes.push(typeof d === 'string' ? d.length : d instanceof Blob ? d.size : (d as ArrayBufferView | ArrayBuffer).byteLength);
      return send.call(this, data);
    };
  });
}

const largestSent = (page: Page) => page.evaluate(() => Math.max(0, ...(window as unknown as { __sent: number[] }).__sent));

type Diagnostics = { rooms(): { kind: string; connecting: boolean; webrtc: { connected: boolean }[] }[] };
function scopeRooms(page: Page) {
  return page.evaluate(() => {
    const rooms = ((window as unknown as { __runderTisch?: Diagnostics }).__runderTisch?.rooms() ?? []).filter((r) => r.kind === 'scope');
    return { held: rooms.length, connecting: rooms.filter((r) => r.connecting).length, connected: rooms.filter((r) => r.webrtc.some((c) => c.connected)).length };
  });
}

/** 400 KB of text in paragraphs of ordinary words, different everywhere (nothing repeats). */
function largeText(): string {
  const words = ['Hilfeplan', 'Zielvereinbarung', 'Termin', 'Beratung', 'Ausbildung', 'Wohnung', 'Schulden', 'Gespräch'];
  const paragraphs: string[] = [];
  let x = 7;
  let size = 0;
  while (size < 400_000) {
    const parts: string[] = [];
    for (let i = 0; i < 120; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      parts.push(`${words[x % words.length]}${x % 9973}`);
    }
    const p = parts.join(' ');
    paragraphs.push(p);
    size += p.length;
  }
  return paragraphs.join('\n');
}

test('a case larger than one data-channel message reaches a late joiner, in messages of at most 64 KiB', async ({ browser }) => {
  const server = await startApp();
  const host = await newParticipant(browser);
  const client = await newParticipant(browser);
  try {
    await recordSentSizes(host.page);
    await recordSentSizes(client.page);
    await createCase(host.page, server.url, 'Karl M.');
    const text = largeText();
    const editor = host.page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
    await editor.click();
    await host.page.keyboard.insertText(text);
    await expect.poll(() => richText(host.page).then((t) => t.length), { timeout: 60_000 }).toBeGreaterThanOrEqual(text.length);

    await startConference(host.page, 'Frau Demir');
    // Alone at the table, the host has nobody to sync scopes with: no scope room connects yet.
    expect(await scopeRooms(host.page)).toMatchObject({ connecting: 0, connected: 0 });
    await joinByLink(client.page, await invite(host.page, 'Karl', 'Klient/in'), 'Karl', 'Klient/in', host.page);
    const expected = await richText(host.page);
    await expect.poll(() => richText(client.page), { timeout: 60_000 }).toBe(expected);
    await expectWebRtcPeers(client.page);
    // Then the scope rooms: each side holds every scope and meets the other in each room.
    const held = (await scopeRooms(host.page)).held;
    expect(held).toBeGreaterThan(0);
    await expect.poll(async () => (await scopeRooms(client.page)).connected, { timeout: 60_000 }).toBe(held);

    // Still a working table: an edit on the joiner's side arrives.
    await client.page.getByTestId('add-main-goal').click();
    await client.page.getByTestId('goal-title').first().fill('Arbeit im Lager');
    await expect(host.page.getByTestId('goal-title').first()).toHaveValue('Arbeit im Lager');

    expect(await largestSent(host.page)).toBeLessThanOrEqual(64 * 1024);
    expect(await largestSent(client.page)).toBeLessThanOrEqual(64 * 1024);
  } finally {
    await host.context.close();
    await client.context.close();
    await server.close();
  }
});

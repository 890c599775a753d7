import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectWebRtcPeers, invite, joinByLink, newParticipant, richText, startApp, startConference, type Participant } from './app.ts';

/**
 * Another person's keystroke changes only the changed characters of a text node on this page
 * (src/case/textNodeEdits.ts), not its whole text: the browser then keeps the layout of the rest
 * of a long paragraph. The text stays exactly the same, and the cursor of someone writing in the
 * same paragraph stays where it was.
 */

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

function editor(page: Page) {
  return page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
}

const LONG = 'Dennis arbeitet in der AGH-Stelle jetzt sechs Stunden am Tag. '.repeat(12).trim();
const TYPED = ' Ab Juli sucht er eine Ausbildung.';

test("a remote keystroke writes only what changed, and the other person's cursor stays put", async () => {
  await createCase(host.page, server.url, 'Dennis K. Textknoten');
  await editor(host.page).click();
  await host.page.keyboard.insertText(LONG);
  await startConference(host.page, 'Frau Aydin');
  await joinByLink(client.page, await invite(host.page, 'Dennis', 'Klient/in'), 'Dennis', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page, 1);
  await expect.poll(() => richText(client.page)).toBe(LONG);

  // The client's cursor at the start of the same paragraph; the writes to text nodes counted.
  await editor(client.page).click();
  await client.page.keyboard.press('Control+Home');
  await client.page.evaluate(() => {
    const counts = { partial: 0 };
    (window as unknown as { textWrites: typeof counts }).textWrites = counts;
    const replaceData = Text.prototype.replaceData;
    Text.prototype.replaceData = function (offset: number, count: number, data: string) {
      counts.partial++;
      return replaceData.call(this, offset, count, data);
    };
  });

  await editor(host.page).click();
  await host.page.keyboard.press('Control+End');
  await host.page.keyboard.type(TYPED, { delay: 30 });
  await expect.poll(() => richText(client.page)).toBe(LONG + TYPED);
  const partial = await client.page.evaluate(() => (window as unknown as { textWrites: { partial: number } }).textWrites.partial);
  expect(partial).toBeGreaterThanOrEqual(TYPED.length / 2);

  await client.page.keyboard.type('Heute: ');
  await expect.poll(() => richText(host.page)).toBe(`Heute: ${LONG}${TYPED}`);
  await expect.poll(() => richText(client.page)).toBe(`Heute: ${LONG}${TYPED}`);
});

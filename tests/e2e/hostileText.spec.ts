import { expect, test, type Page } from '@playwright/test';
import * as Y from 'yjs';
import type { RunningServer } from '../../src/server/app.ts';
import { caseRoomSecret, createCase, expectWebRtcPeers, newParticipant, richText, startApp, startConference } from './app.ts';
import { connectedPeers, stockPeer } from './stockPeer.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  await server?.close();
});

/** Every payload below would set this if any of it ran. */
function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

/** Nothing in the editor that runs or navigates to code. */
async function expectInert(page: Page): Promise<void> {
  const editor = page.getByTestId('richtext-ausgangslage');
  await expect(editor.locator('script, iframe, object, embed, style')).toHaveCount(0);
  await expect(editor.locator('[onerror], [onclick], [onload], [onmouseover], [style*="expression"]')).toHaveCount(0);
  await expect(editor.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]')).toHaveCount(0);
  expect(await pwned(page)).toBeUndefined();
}

/** Elements reaching past the right edge of the window (the page would scroll sideways). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );
}

const HOSTILE_HTML = [
  '<p>Sichtbarer Text vor dem Angriff</p>',
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '<p onclick="window.__pwned = \'click\'">Absatz mit Handler</p>',
  '<a href="javascript:window.__pwned=\'link\'">Link mit Code</a>',
  '<a href="data:text/html,<script>parent.__pwned=1</script>">Datenlink</a>',
  '<iframe src="javascript:parent.__pwned=\'frame\'"></iframe>',
  '<svg><script>window.__pwned = "svg"</script></svg>',
  '<p style="background:url(javascript:window.__pwned=1)">Stil</p>',
  '<p>Sichtbarer Text nach dem Angriff</p>',
].join('');

async function paste(page: Page, html: string, plain: string): Promise<void> {
  await page
    .getByTestId('richtext-ausgangslage')
    .locator('[contenteditable=true]')
    .evaluate(
      (el, { html, plain }) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', plain);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      { html, plain },
    );
}

test('pasted HTML: scripts, handlers and javascript:/data: links never run; the text stays, so does editing; a huge paste too', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  await createCase(page, server.url, 'Frau Demir');
  const editor = page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
  await editor.click();
  await paste(page, HOSTILE_HTML, 'Sichtbarer Text');
  await expect.poll(() => richText(page)).toContain('Sichtbarer Text nach dem Angriff');
  expect(await richText(page)).toContain('Absatz mit Handler');
  await expectInert(page);
  // Links that lead nowhere harmful lose their target; their words stay.
  expect(await richText(page)).toContain('Link mit Code');

  // A paste of about 300 KB: in, still editable, still saved.
  const huge = 'Lange Fallnotiz ohne Ende. '.repeat(12_000);
  await editor.press('End');
  await paste(page, `<p>${huge}</p>`, huge);
  await expect.poll(async () => (await richText(page)).length).toBeGreaterThan(huge.length);
  await editor.press('End');
  await page.keyboard.type(' Schluss.');
  await expect.poll(async () => (await richText(page)).endsWith('Schluss.')).toBe(true);
  await page.reload();
  await expect.poll(async () => (await richText(page)).endsWith('Schluss.')).toBe(true);
  await expectInert(page);
  await context.close();
});

test('rich text received from a hostile peer: code-carrying links, handlers and unknown elements are not rendered as such', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  await createCase(page, server.url, 'Dennis K.');
  await startConference(page, 'Herr Schmitt');
  const { roomId, key } = await caseRoomSecret(page);
  const peer = stockPeer(roomId, key, `${server.url.replace('http', 'ws')}/signal`);
  try {
    await expect.poll(() => connectedPeers(peer.provider)).toBe(1);
    await expectWebRtcPeers(page);
    const fragment = peer.doc.getXmlFragment('ausgangslage');
    peer.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('onclick', "window.__pwned = 'attr'");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      const script = new Y.XmlElement('script');
      script.insert(0, [new Y.XmlText("window.__pwned = 'element'")]);
      const frame = new Y.XmlElement('iframe');
      frame.setAttribute('src', "javascript:parent.__pwned='frame'");
      const after = new Y.XmlElement('paragraph');
      after.insert(0, [new Y.XmlText('Vom Peer danach')]);
      fragment.insert(fragment.length, [paragraph, script, frame, after]);
      text.insert(0, 'Vom Peer: ');
      text.insert(text.length, 'Klick mich', { link: { href: "javascript:window.__pwned='mark'" } });
      text.insert(text.length, ' oder ', {});
      text.insert(text.length, 'mich', { link: { href: 'data:text/html,<script>parent.__pwned=1</script>' } });
    });
    await expect.poll(() => richText(page)).toContain('Vom Peer danach');
    expect(await richText(page)).toContain('Klick mich');
    await expectInert(page);
    // Still an editor: typing goes on and reaches the peer.
    const editor = page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
    await editor.press('Control+End');
    await page.keyboard.type(' Und weiter.');
    await expect.poll(() => fragment.toString()).toContain('Und weiter.');
  } finally {
    peer.provider.destroy();
    peer.doc.destroy();
  }
  await context.close();
});

test('names and free text with markup, right-to-left script, emoji and 10,000 characters are shown as text, layout intact', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  const name = '<img src=x onerror="window.__pwned=1">Ayşe 👩‍👧‍👦';
  await createCase(page, server.url, name);
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${name}`);
  await page.getByTestId('add-main-goal').click();
  const rtl = 'العودة إلى العمل صباحًا فقط 🌅';
  await page.getByTestId('goal-title').first().fill(rtl);
  const long = `${'Langes Wort: Donaudampfschifffahrtsgesellschaftskapitänsmütze '.repeat(160)}`.slice(0, 10_000);
  await page.getByTestId('add-step').click();
  await page.getByTestId('step-what').last().fill(long);
  await page.getByTestId('add-partner').click();
  await page.getByTestId('partner-organisation').last().fill('<b>Fett</b> & "Zitat" <script>window.__pwned=2</script>');
  await expect(page.getByTestId('step-what').last()).toHaveValue(long);
  await expect(page.getByTestId('goal-title').first()).toHaveValue(rtl);
  expect(await page.locator('main img, main b, main script').count()).toBe(0);
  // Nothing pushes the page wider than the window.
  expect(await overflowing(page)).toEqual([]);

  await page.getByRole('link', { name: /Zur Fallübersicht/ }).click();
  await expect(page.getByTestId('case-list')).toContainText(name);
  expect(await page.locator('main img').count()).toBe(0);
  expect(await overflowing(page)).toEqual([]);
  expect(await pwned(page)).toBeUndefined();
  await context.close();
});

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectSaved, newParticipant, richText, startApp } from './app.ts';

/**
 * A long Ausgangslage opens as plain paragraphs (src/case/richTextStatic.ts) and gets its
 * editor in idle time, or at once when someone clicks or tabs into it (RichText.svelte).
 */
test.describe.configure({ timeout: 120_000 });

const PARAGRAPHS = Array.from(
  { length: 10 },
  (_, i) => `Absatz ${i + 1}: ` + 'Frau K. berichtet von Schulden, einer Wohnung in Aussicht und einem Kurs. '.repeat(12),
);

async function writeLongText(page: Page): Promise<void> {
  await page.locator('.rich-text-content').click();
  for (const [i, text] of PARAGRAPHS.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(text);
  }
  await expect.poll(() => richText(page)).toBe(PARAGRAPHS.join('\n\n'));
  await expectSaved(page);
}

/** Mock, the only one here: idle time never comes, so the text stays plain until used. */
async function reloadWithoutIdleTime(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.requestIdleCallback = () => 0;
  });
  await page.reload();
}

test('a long text opens as plain paragraphs; a click into it brings the editor with the cursor where the click was', async ({ browser }) => {
  const server = await startApp();
  const A = await newParticipant(browser);
  try {
    await createCase(A.page, server.url, 'Langer Text L.');
    const caseUrl = A.page.url();
    await writeLongText(A.page);

    await reloadWithoutIdleTime(A.page);
    const plain = A.page.locator('.rich-text-content[data-preview]');
    await expect(plain).toBeVisible();
    await expect(plain.locator(':scope > p')).toHaveText(PARAGRAPHS);
    await expect(A.page.locator('.ProseMirror')).toHaveCount(0);
    const axe = await new AxeBuilder({ page: A.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .include('#section-situation')
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // A click into the third paragraph: the editor is there, and what is typed lands there.
    await plain.locator(':scope > p').nth(2).click();
    await A.page.keyboard.type('XYZ');
    await expect(A.page.locator('.rich-text-content[data-preview]')).toHaveCount(0);
    await expect(A.page.locator('.ProseMirror')).toBeFocused();
    const paragraphs = (await richText(A.page)).split('\n\n');
    expect(paragraphs).toHaveLength(PARAGRAPHS.length);
    expect(paragraphs.map((p) => p.includes('XYZ'))).toEqual(PARAGRAPHS.map((_, i) => i === 2));
    expect(paragraphs[2]!.replace('XYZ', '')).toBe(PARAGRAPHS[2]);
    await expectSaved(A.page);

    // The keyboard: the focus moved into the plain text brings the editor, and typing lands.
    await reloadWithoutIdleTime(A.page);
    await expect(A.page.locator('.rich-text-content[data-preview]')).toBeVisible();
    await A.page.locator('.rich-text-content[data-preview]').focus();
    await A.page.keyboard.type('Vorweg: ');
    await expect(A.page.locator('.ProseMirror')).toBeFocused();
    await expect.poll(async () => (await richText(A.page)).startsWith('Vorweg: Absatz 1:')).toBe(true);
    await expectSaved(A.page);

    // Without the mock, idle time brings the editor by itself, with everything typed before.
    await A.page.close();
    const fresh = await A.context.newPage();
    await fresh.goto(caseUrl);
    await expect(fresh.locator('.ProseMirror')).toBeVisible();
    await expect(fresh.locator('.rich-text-content[data-preview]')).toHaveCount(0);
    const stored = await richText(fresh);
    expect(stored.startsWith('Vorweg: Absatz 1:')).toBe(true);
    expect(stored).toContain('XYZ');
  } finally {
    await A.context.close();
    await server.close();
  }
});

/** The editor's code comes in its own chunk once the case is on screen (src/ui/case/editorCode.ts). */
const EDITOR_CHUNK = /\/assets\/richText-[^/]*\.js$/;

/** Without the service worker: a route on the editor's chunk must see its request (the worker would answer first). */
function contextWithoutWorker(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'de-DE', serviceWorkers: 'block' });
}

/** A case whose Ausgangslage reads „Bisher.“. */
async function caseWithText(context: BrowserContext, server: RunningServer, name: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await createCase(page, server.url, name);
  await page.locator('.ProseMirror').click();
  await page.keyboard.insertText('Bisher.');
  await expect.poll(() => richText(page)).toBe('Bisher.');
  await expectSaved(page);
  return page;
}

/** The chunk is held back on its way, so the keys are certainly typed before it is there. */
test("keys typed before the editor's code is there are typed into the editor when it comes", async ({ browser }) => {
  const server = await startApp();
  const context = await contextWithoutWorker(browser);
  try {
    const page = await caseWithText(context, server, 'Frühe Tasten T.');

    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const requested: string[] = [];
    await context.route(EDITOR_CHUNK, async (route) => {
      requested.push(route.request().url());
      await released;
      await route.continue();
    });
    await page.reload();
    const plain = page.locator('.rich-text-content[data-preview]');
    await expect(plain).toHaveText('Bisher.');
    // Idle time asks for the chunk by itself; the page must not wait for it to show the case.
    await expect.poll(() => requested.length).toBeGreaterThan(0);
    // The focus moves into the plain text: the cursor will be at its start.
    await plain.focus();
    await page.keyboard.type('Vorweg');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Zweitx');
    await page.keyboard.press('Backspace');
    // Text that comes without keys, as from an input method, dictation or the emoji picker.
    await page.keyboard.insertText('er Absatz: ');
    await expect(page.locator('.ProseMirror')).toHaveCount(0);
    await expect(plain).toHaveText('Bisher.');

    release();
    await expect(page.locator('.ProseMirror')).toBeFocused();
    await expect.poll(() => richText(page)).toBe('Vorweg\n\nZweiter Absatz: Bisher.');
    // The cursor is where the early keys left it.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('. ');
    await expect.poll(() => richText(page)).toBe('Vorweg\n\nZweiter Absatz. Bisher.');
    await expectSaved(page);
    await page.reload();
    await expect.poll(() => richText(page)).toBe('Vorweg\n\nZweiter Absatz. Bisher.');
  } finally {
    await context.close();
    await server.close();
  }
});

test("when the editor's code cannot be fetched, the text says so and a click tries again", async ({ browser }) => {
  const server = await startApp();
  const context = await contextWithoutWorker(browser);
  try {
    const page = await caseWithText(context, server, 'Kein Netz N.');
    await context.route(EDITOR_CHUNK, (route) => route.abort('internetdisconnected'));
    await page.reload();
    const failed = page.getByTestId('editor-load-failed');
    await expect(failed).toHaveText(/konnte nicht geladen werden/);
    const plain = page.locator('.rich-text-content[data-preview]');
    await expect(plain).toHaveText('Bisher.');

    await context.unroute(EDITOR_CHUNK);
    await plain.click();
    await expect(page.locator('.ProseMirror')).toBeFocused();
    await expect(failed).toHaveCount(0);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Weiter.');
    await expect.poll(() => richText(page)).toBe('Bisher. Weiter.');
    await expectSaved(page);
  } finally {
    await context.close();
    await server.close();
  }
});

import { expect, test } from '@playwright/test';
import { createCase, newParticipant, startApp } from './app.ts';

/**
 * The caret stays in view while one writes: the editor scrolls it into view just before the
 * next frame (src/case/richText.ts, scrollInNextFrame), not in the middle of each keystroke.
 */
test('writing on below the bottom of the window keeps the caret in view, and Ctrl+Home takes it back up', async ({ browser }) => {
  const server = await startApp();
  const A = await newParticipant(browser);
  try {
    await createCase(A.page, server.url, 'Rollen R.');
    const editor = A.page.locator('.rich-text-content');
    await editor.click();
    for (let i = 1; i <= 40; i++) {
      await A.page.keyboard.type(`Zeile ${i}`);
      await A.page.keyboard.press('Enter');
    }
    await A.page.keyboard.type('Letzte Zeile');
    const last = editor.locator('p', { hasText: 'Letzte Zeile' });
    await expect(last).toBeInViewport();
    // The window did scroll: the first line is out of view now.
    await expect(editor.locator('p', { hasText: /^Zeile 1$/ })).not.toBeInViewport();

    await A.page.keyboard.press('Control+Home');
    await expect(editor.locator('p', { hasText: /^Zeile 1$/ })).toBeInViewport();
    await A.page.keyboard.type('Anfang ');
    await expect(editor.locator('p').first()).toHaveText('Anfang Zeile 1');
    await expect(last).not.toBeInViewport();
  } finally {
    await A.context.close();
    await server.close();
  }
});

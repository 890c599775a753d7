import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, goalTitles, newParticipant, startApp } from './app.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  await server?.close();
});

/**
 * Chromium keeps IndexedDB in its private mode, so the refusal other browsers give there is
 * simulated (the one stand-in in this file): before the app loads, `indexedDB` is either
 * missing or its `open` fails the way Firefox's private windows used to.
 */
const refusals = {
  'no indexedDB at all': () => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }),
  'open fails': () => {
    IDBFactory.prototype.open = function () {
      const request = {} as IDBOpenDBRequest & { onerror: ((e: Event) => void) | null };
      setTimeout(() => {
        Object.defineProperty(request, 'error', { value: new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError') });
        request.onerror?.(new Event('error'));
      });
      return request;
    };
  },
} as const;

for (const [label, refuse] of Object.entries(refusals)) {
  test(`storage refused (${label}): a clear German warning, the case can still be written in memory`, async ({ browser }) => {
    const { context, page } = await newParticipant(browser);
    await context.addInitScript(refuse);
    await createCase(page, server.url, 'Frau Demir');
    await expect(page.getByTestId('storage-memory')).toContainText('beim Schließen ist alles weg');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'memory');
    await page.getByTestId('add-main-goal').click();
    await page.getByTestId('goal-title').first().fill('wieder arbeiten');
    await page.getByRole('link', { name: /Zur Fallübersicht/ }).click();
    await expect(page.getByTestId('case-list')).toContainText('Frau Demir');
    await page.getByRole('link', { name: 'Frau Demir' }).click();
    await expect.poll(() => goalTitles(page)).toEqual(['wieder arbeiten']);
    await context.close();
  });
}

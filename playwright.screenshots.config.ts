import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/browser.ts';

const launch = chromiumLaunchOptions();

/**
 * `npm run screenshots`: plays scenario A through three browser contexts and writes the
 * README's pictures into docs/screenshots/. Separate from the e2e suite, so a test run never
 * changes the working tree.
 */
export default defineConfig({
  testDir: 'tests/screenshots',
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 20_000 },
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    // The browser's own language sets how date fields show a date (24.11.2026, not 11/24/2026);
    // Debian's Chromium needs its locales for that (package chromium-l10n).
    launchOptions: { ...launch, args: [...(launch.args ?? []), '--lang=de-DE'], env: { ...process.env, LANGUAGE: 'de' } },
    permissions: ['camera', 'microphone'],
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    trace: 'off',
  },
});

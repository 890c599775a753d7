import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/browser.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  // WebRTC between several Chromium contexts on two cores: one file at a time is reliable.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    launchOptions: chromiumLaunchOptions(),
    permissions: ['camera', 'microphone'],
    trace: 'off',
  },
});

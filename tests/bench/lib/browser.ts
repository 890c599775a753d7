import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/browser.ts';
import { newParticipant, type Participant } from '../../e2e/app.ts';
import type { Cleanup } from './cleanup.ts';

/** One Chromium with the end-to-end tests' WebRTC flags; each participant is a context of it. */
export async function launchBrowser(cleanup: Cleanup): Promise<Browser> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  cleanup.add('browser', () => browser.close());
  return browser;
}

/** A participant of the app, with the probe injected before the app's scripts run. */
export async function appParticipant(browser: Browser, probe: string): Promise<Participant> {
  const participant = await newParticipant(browser);
  await participant.context.addInitScript({ path: probe });
  return participant;
}

/** Garbage-collected JS heap of the page's renderer, in bytes. */
export async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

export async function closeAll(participants: readonly Participant[]): Promise<void> {
  await Promise.all(participants.map((p) => p.context.close()));
}

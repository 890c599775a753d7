import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { chromiumLaunchOptions } from './browser.ts';
import { createCase, DIST, expectSaved, goalTitles, newParticipant, startApp, stepTexts } from './app.ts';

/**
 * The installed app (issue 9): after one visit it starts with no network at all, and a new
 * version waits for the person's agreement and for the end of an edit before it reloads.
 */

/** The worker has installed (so precached everything) and controls this page. */
async function untilControlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

async function precacheVersion(dir: string): Promise<string> {
  const sw = await readFile(path.join(dir, 'sw.js'), 'utf8');
  const version = /"version":"([0-9a-f]+)"/.exec(sw)?.[1];
  if (!version) throw new Error('sw.js carries no precache version');
  return version;
}

test('after the first visit the app starts, lists and opens the case and saves with no network at all', async ({ browser }) => {
  let server: RunningServer | null = await startApp();
  const { context, page } = await newParticipant(browser);
  try {
    const url = server.url;
    const caseId = await createCase(page, url, 'Frau Demir');
    await page.getByTestId('add-main-goal').click();
    await page.getByTestId('goal-title').first().fill('wieder arbeiten');
    await expectSaved(page);
    await untilControlled(page);

    // Nothing can come from the network: the browser is offline and our server is gone.
    await context.setOffline(true);
    await server.close();
    server = null;

    await page.goto(url);
    await expect(page.getByRole('link', { name: 'Frau Demir' })).toBeVisible();
    // Opening the case loads the lazy case page chunk: from the worker's cache.
    await page.getByRole('link', { name: 'Frau Demir' }).click();
    await expect(page.getByTestId('case-title')).toHaveText('Fall: Frau Demir');
    expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
    await expect.poll(() => goalTitles(page)).toEqual(['wieder arbeiten']);

    // Editing and IndexedDB work as online: the step is there after another offline start.
    await page.getByTestId('add-step').click();
    await page.getByTestId('step-what').last().fill('Hortplatz beantragen');
    await expectSaved(page);
    await page.reload();
    await expect(page.getByTestId('case-title')).toHaveText('Fall: Frau Demir');
    await expect.poll(() => stepTexts(page)).toEqual(['Hortplatz beantragen']);
    await expect.poll(() => goalTitles(page)).toEqual(['wieder arbeiten']);
  } finally {
    await context.close();
    await server?.close();
  }
});

test('a new version announces itself, never reloads by itself or during an edit, and reloads into it on request', async ({ browser }) => {
  // Build A is the tested build; build B the same with a changed page and thus a new worker.
  const root = await mkdtemp(path.join(tmpdir(), 'rt-pwa-'));
  const dirA = path.join(root, 'a');
  const dirB = path.join(root, 'b');
  await cp(DIST, dirA, { recursive: true });
  await cp(DIST, dirB, { recursive: true });
  const versionA = await precacheVersion(dirA);
  const versionB = `${versionA.slice(0, -1)}${versionA.endsWith('0') ? '1' : '0'}`;
  const indexB = (await readFile(path.join(dirB, 'index.html'), 'utf8')).replace(
    '<head>',
    '<head>\n    <meta name="rt-build" content="B" />',
  );
  await writeFile(path.join(dirB, 'index.html'), indexB);
  const swB = (await readFile(path.join(dirB, 'sw.js'), 'utf8')).replace(`"version":"${versionA}"`, `"version":"${versionB}"`);
  await writeFile(path.join(dirB, 'sw.js'), swB);

  let server: RunningServer = await startApp({ staticDir: dirA });
  const { context, page } = await newParticipant(browser);
  try {
    await createCase(page, server.url, 'Herr Yilmaz');
    await untilControlled(page);
    // A second tab with the case list, open all along.
    const other = await context.newPage();
    await other.goto(server.url);
    await untilControlled(other);
    for (const p of [page, other]) await p.evaluate(() => ((window as unknown as { rtMarker: string }).rtMarker = 'still the same page'));
    const markerOf = (p: Page) => p.evaluate(() => (window as unknown as { rtMarker?: string }).rtMarker ?? null);
    const marker = () => markerOf(page);

    // The deployment changes: build B on the same address.
    const port = server.port;
    await server.close();
    server = await startApp({ staticDir: dirB, port });
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });

    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText('Eine neue Version von Runder Tisch ist da.');
    const reload = banner.getByRole('button', { name: 'Jetzt neu laden' });
    await expect(reload).toBeVisible();
    // Installed and waiting for the person: it does not take over by itself.
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null))
      .toBe('installed');

    // Someone is writing a goal while the banner is up.
    await page.getByTestId('add-main-goal').click();
    const title = page.getByTestId('goal-title').first();
    await title.pressSequentially('eigene Wohnung');
    expect(await marker()).toBe('still the same page');

    // Agreeing while the field still has the focus (a screen reader's activation does not move
    // it): the banner says it waits, and the new version still waits.
    await reload.evaluate((button) => (button as HTMLButtonElement).click());
    await expect(banner.getByTestId('update-waiting')).toHaveText(
      'Neu geladen wird, sobald Ihre Eingabe gespeichert ist und Sie das Feld verlassen haben.',
    );
    await title.pressSequentially(' finden');
    await expectSaved(page);
    const waitingState = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
    expect(await marker()).toBe('still the same page');
    expect(await waitingState()).toBe('installed');

    // The last keystroke cannot reach IndexedDB yet: another connection holds the update log in
    // a write transaction. Leaving the field now is not enough; the edit is not saved.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('runder-tisch');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('updates', 'readwrite').objectStore('updates');
            const flag = window as unknown as { rtRelease?: boolean };
            // A transaction lives while it has requests: keep asking until the test lets go.
            const hold = () => {
              store.count().onsuccess = () => (flag.rtRelease ? open.result.close() : hold());
            };
            hold();
            resolve();
          };
        }),
    );
    await title.press('!');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saving');
    await title.evaluate((field) => (field as HTMLInputElement).blur());
    // The banner's check after the focus left (queued before this) has run and declined.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve)));
    await expect(banner.getByTestId('update-waiting')).toBeVisible();
    expect(await waitingState()).toBe('installed');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saving');
    await expect(page.locator('meta[name=rt-build]')).toHaveCount(0);

    // The write goes through, „Gespeichert“: now it reloads, into build B.
    const reloaded = page.waitForEvent('load');
    expect(await page.evaluate(() => {
      (window as unknown as { rtRelease: boolean }).rtRelease = true;
      return (window as unknown as { rtMarker?: string }).rtMarker;
    })).toBe('still the same page');
    await reloaded;
    await expect(page.locator('meta[name=rt-build]')).toHaveAttribute('content', 'B');
    await expect(page.getByTestId('case-title')).toHaveText('Fall: Herr Yilmaz');
    await expect.poll(() => goalTitles(page)).toEqual(['eigene Wohnung finden!']);
    expect(await marker()).toBeNull();
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return { waiting: registration?.waiting ?? null, controlled: navigator.serviceWorker.controller !== null, caches: await caches.keys() };
        }),
      )
      .toEqual({ waiting: null, controlled: true, caches: expect.arrayContaining([`runder-tisch-${versionB}`]) });
    await expect(page.getByTestId('update-banner')).toHaveCount(0);

    // The other tab runs the old build until its person reloads it: it says so and waits.
    const otherBanner = other.getByTestId('update-banner');
    await expect(otherBanner).toContainText('in einem anderen Fenster auf die neue Version umgestellt');
    expect(await markerOf(other)).toBe('still the same page');
    const otherReloaded = other.waitForEvent('load');
    await otherBanner.getByRole('button', { name: 'Jetzt neu laden' }).click();
    await otherReloaded;
    await expect(other.locator('meta[name=rt-build]')).toHaveAttribute('content', 'B');
    await expect(other.getByRole('link', { name: 'Herr Yilmaz' })).toBeVisible();
    await expect(other.getByTestId('update-banner')).toHaveCount(0);
  } finally {
    await context.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('the web app manifest is served and valid, Chromium finds the app installable; the worker is never cached by HTTP', async () => {
  const server = await startApp();
  // A profile on disk: Chromium never offers installing in an incognito-like context.
  const profile = await mkdtemp(path.join(tmpdir(), 'rt-pwa-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions(), locale: 'de-DE' });
  try {
    const response = await fetch(`${server.url}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = (await response.json()) as Record<string, unknown> & { icons: { src: string; sizes: string; type: string }[] };
    expect(manifest).toMatchObject({
      name: 'Runder Tisch',
      short_name: 'Runder Tisch',
      lang: 'de',
      display: 'standalone',
      start_url: './',
      theme_color: '#1f4fa8',
    });
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, `${server.url}/manifest.webmanifest`));
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get('content-type'), icon.src).toBe(icon.type);
    }

    const sw = await fetch(`${server.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toContain('text/javascript');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const csp = sw.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");

    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await expect(page.locator('meta[name=theme-color]')).toHaveAttribute('content', '#1f4fa8');
    await untilControlled(page);
    const cdp = await context.newCDPSession(page);
    const { errors } = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
    expect(errors).toEqual([]);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors.map((error) => error.errorId)).toEqual([]);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});

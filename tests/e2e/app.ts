import { resolve } from 'node:path';
import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/app.ts';

/** RT_DIST lets several people test their own builds side by side on one machine. */
export const DIST = process.env.RT_DIST ? resolve(process.env.RT_DIST) : resolve(import.meta.dirname, '../../dist');

/** Our real server (app + signaling) on a free loopback port, serving the production build. */
export function startApp(options: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', staticDir: DIST, ...options });
}

export interface Participant {
  context: BrowserContext;
  page: Page;
}

/** A participant is a browser context of its own: separate IndexedDB, no BroadcastChannel. */
export async function newParticipant(browser: Browser): Promise<Participant> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], locale: 'de-DE' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return { context, page };
}

export async function createCase(page: Page, baseUrl: string, name: string): Promise<string> {
  await page.goto(baseUrl);
  await page.getByLabel('Name oder Kürzel der Person').fill(name);
  await page.getByRole('button', { name: 'Fall anlegen' }).click();
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${name}`);
  return new URL(page.url()).hash.replace('#/case/', '');
}

/** The host starts the table; people then come in by invite and admission only. */
export async function startConference(page: Page, name: string): Promise<void> {
  await page.getByLabel('Ihr Name').fill(name);
  await page.getByRole('button', { name: 'Konferenz starten' }).click();
  await expect(page.getByTestId('invites')).toBeVisible();
}

/**
 * Records a partner organisation with a consent (released topics, valid from today), as the
 * case manager does with the client before a partner may join.
 */
export async function recordConsent(host: Page, organisation: string, type: string, topics: string[]): Promise<void> {
  await host.getByTestId('add-partner').click();
  await host.getByTestId('partner-organisation').last().fill(organisation);
  await host.getByTestId('partner-type').last().selectOption(type);
  const group = host.getByTestId('consent-partner').filter({ hasText: organisation });
  await group.getByTestId('add-consent').click();
  for (const topic of topics) await group.getByTestId(`consent-topic-${topic}`).last().check();
  await expect(group.getByTestId('consent-status').last()).toContainText(/gültig/);
}

/** The host invites one person (a partner: for `organisation`) and gets that person's link. */
export async function invite(host: Page, name: string, roleLabel: string, organisation?: string): Promise<string> {
  await host.getByTestId('invite-name').fill(name);
  await host.getByTestId('invite-role').selectOption({ label: roleLabel });
  if (organisation) await host.getByTestId('invite-partner').selectOption({ label: organisation });
  await host.getByTestId('create-invite').click();
  const link = host.locator(`[data-testid=invite][data-invite-name="${name}"] [data-testid=invite-link]`);
  await expect(link).toHaveValue(/#\/join\//);
  return link.inputValue();
}

/** The guest opens the link and knocks; with `host` given, the host lets them in. */
export async function joinByLink(
  page: Page,
  link: string,
  name: string,
  role: string,
  host?: Page,
  organisation?: string,
): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Ihr Name').fill(name);
  await page.getByLabel('Ihre Rolle').selectOption({ label: role });
  if (organisation) await page.getByLabel('Organisation (freiwillig)').fill(organisation);
  await page.getByRole('button', { name: 'Beitreten' }).click();
  await expect(page.getByTestId('my-fingerprint')).toBeVisible();
  if (!host) return;
  const fingerprint = await page.getByTestId('my-fingerprint').textContent();
  const knock = host.locator(`[data-testid=knock][data-name="${name}"]`);
  // The host sees the same device identifier the guest sees.
  await expect(knock.getByTestId('knock-fingerprint')).toContainText(fingerprint!.trim());
  await knock.getByTestId('admit').click();
  await expect(page.getByTestId('case-title')).toBeVisible();
}

/** The case room secret as the host's device stores it (for tests that act as a stock client). */
export function caseRoomSecret(host: Page): Promise<{ roomId: string; key: string }> {
  return host.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('runder-tisch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('cases').objectStore('cases').getAll();
          read.onsuccess = () => {
            const withRoom = (read.result as { room?: { roomId: string; key: string } }[]).find((c) => c.room);
            open.result.close();
            if (withRoom?.room) resolve(withRoom.room);
            else reject(new Error('no case with a room'));
          };
        };
      }),
  );
}

type Diagnostics = {
  rooms(): { roomId: string; kind: string; connecting: boolean; webrtc: { connected: boolean; synced: boolean }[]; broadcast: number }[];
};

function roomsOf(page: Page) {
  return page.evaluate(() =>
    ((window as unknown as { __runderTisch?: Diagnostics }).__runderTisch?.rooms() ?? []).filter((r) => r.kind === 'case'),
  );
}

/** The id of the case room this page is in; undefined while it is in none (mid-move to a new one). */
export async function caseRoomId(page: Page): Promise<string | undefined> {
  return (await roomsOf(page))[0]?.roomId;
}

/** Waits until the page is in a case room other than `old` (mid-move it is in none); its id. */
export async function movedCaseRoom(page: Page, old: string | undefined): Promise<string> {
  await expect.poll(async () => [undefined, old].includes(await caseRoomId(page))).toBe(false);
  return (await caseRoomId(page))!;
}

/**
 * After a failed test: each page's case rooms (ids cut short), connections and the people its
 * participant list shows, into the log, so a CI run says which device was left where.
 */
export async function logTablesOnFailure(info: TestInfo, pages: Record<string, Page | undefined>): Promise<void> {
  if (info.status === info.expectedStatus) return;
  for (const [name, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    const rooms = await roomsOf(page).catch(() => []);
    const people = await page.getByTestId('participant').allTextContents().catch(() => []);
    const table = rooms.map((r) => ({ room: r.roomId.slice(0, 6), connecting: r.connecting, peers: r.webrtc.map((c) => `${c.connected ? 'up' : 'down'}`) }));
    console.log(`[table] ${name}: ${JSON.stringify(table)} participants: ${JSON.stringify(people.map((p) => p.trim().replace(/\s+/g, ' ')))}`);
  }
}

/**
 * `count` open WebRTC data channels, and nothing over BroadcastChannel. (y-webrtc marks a
 * connection `synced` only while the whole room is unsynced, so after a reconnect that flag
 * stays false; content assertions prove the data flow.)
 */
export async function expectWebRtcPeers(page: Page, count = 1): Promise<void> {
  await expect
    .poll(async () =>
      (await roomsOf(page)).map((r) => ({ peers: r.webrtc.filter((c) => c.connected).length, broadcast: r.broadcast })),
    )
    .toEqual([{ peers: count, broadcast: 0 }]);
}

/** A first connection: y-webrtc reports it connected and synced (the toolchain notes' check). */
export async function expectSyncedWebRtcPeer(page: Page): Promise<void> {
  await expect
    .poll(async () => (await roomsOf(page)).some((r) => r.broadcast === 0 && r.webrtc.some((c) => c.connected && c.synced)))
    .toBe(true);
}

/** The rich text as the editor holds it (remote caret labels live in the DOM, not in the text). */
export function richText(page: Page, field = 'ausgangslage'): Promise<string> {
  return page
    .getByTestId(`richtext-${field}`)
    .evaluate((el) => (el as HTMLElement & { richText?: () => string }).richText?.() ?? '');
}

export function goalTitles(page: Page): Promise<string[]> {
  return page.getByTestId('goal-title').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
}

export function stepTexts(page: Page): Promise<string[]> {
  return page.getByTestId('step-what').evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value));
}

/** Waits until this page's storage has written everything it has seen. */
export async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
}

/**
 * Every row of every IndexedDB store of this page, one line per store. Bytes as `text` (to find
 * strings Yjs writes as UTF-8 inside updates) or as `numbers` (to compare storage exactly).
 */
export function indexedDbDump(page: Page, bytes: 'text' | 'numbers'): Promise<string> {
  return page.evaluate(async (bytes) => {
    const out: string[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const rows = await new Promise<unknown[]>((res) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => res(req.result);
        });
        const encode = (_k: string, v: unknown) =>
          v instanceof Uint8Array ? (bytes === 'text' ? new TextDecoder().decode(v) : Array.from(v)) : v;
        out.push(`${info.name}/${store}: ${JSON.stringify(rows, encode)}`);
      }
      db.close();
    }
    return out.join('\n');
  }, bytes);
}

/** Everything this page holds: DOM, IndexedDB and the JS heap (a real heap snapshot). */
export async function holdsAnyOf(page: Page, texts: string[]): Promise<string[]> {
  const dom = await page.content();
  const idb = await indexedDbDump(page, 'text');
  const cdp = await page.context().newCDPSession(page);
  let heap = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => (heap += e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return texts.filter((t) => dom.includes(t) || idb.includes(t) || heap.includes(t));
}

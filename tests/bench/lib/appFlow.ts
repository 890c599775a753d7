import type { Page } from '@playwright/test';
import { sharedDocKey } from '../../../src/storage/caseRecord.ts';
import type { GeneratedCase } from '../data/caseHistory.ts';
import type { AppProbe, BenchWindow, RenderExpectation, RenderTimes } from '../inpage/api.ts';
import { TIMEOUTS } from '../config.ts';

type Probe = BenchWindow<AppProbe>;

/**
 * Opens the case list, which makes Dexie create the database, then writes the case as the app
 * stores it: the case-list record and one update row holding the whole document.
 */
export async function injectCase(page: Page, baseUrl: string, generated: GeneratedCase): Promise<void> {
  await openCaseList(page, baseUrl);
  const update = Buffer.from(generated.state).toString('base64');
  await page.evaluate((records) => (window as unknown as Probe).__bench.putCases(records), [generated.record]);
  await page.evaluate(
    ([key, data]) => (window as unknown as Probe).__bench.putUpdate(key!, data!),
    [sharedDocKey(generated.caseId), update],
  );
}

/** The case list, once the app has started (its new-case form is there). */
export async function openCaseList(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Name oder Kürzel der Person').waitFor({ timeout: TIMEOUTS.setup });
}

export async function armRender(page: Page, expected: RenderExpectation): Promise<void> {
  await page.evaluate((e) => (window as unknown as Probe).__bench.armRender(e), expected);
}

/**
 * Milliseconds from the last click in `clickedIn` (by default the same page) to the laid-out
 * DOM of `page` showing the whole case; pages of one browser share the clock.
 */
export async function clickToRendered(page: Page, clickedIn: Page = page): Promise<{ ms: number; builtMs: number; times: RenderTimes }> {
  const times = await page.evaluate((t) => (window as unknown as Probe).__bench.whenRendered(t), TIMEOUTS.render);
  const clicked = await clickedIn.evaluate(() => (window as unknown as Probe).__bench.input.lastClick);
  if (clicked === null) throw new Error('no click recorded');
  return { ms: times.laidOutAt - clicked, builtMs: times.builtAt - clicked, times };
}

/** Per round: until every word is on screen (the figure), and until every card has its controls. */
export interface OpenSamples {
  rendered: number[];
  built: number[];
}

/** Every goal title and step text of the case is on screen, in any order. */
export async function verifyContent(page: Page, generated: GeneratedCase): Promise<void> {
  const values = (testId: string) =>
    page.getByTestId(testId).evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (!same(await values('goal-title'), generated.goalTitles)) throw new Error('goal titles on screen differ from the case');
  if (!same(await values('step-what'), generated.stepTexts)) throw new Error('step texts on screen differ from the case');
}

/** Every page has `peers` open WebRTC connections in the case room and none over BroadcastChannel. */
export async function waitForAppMesh(pages: readonly Page[], peers: number): Promise<void> {
  await Promise.all(
    pages.map((page) =>
      page.waitForFunction(
        (n) => {
          const all = (window as unknown as { __runderTisch?: { rooms(): { kind?: string; webrtc: { connected: boolean }[]; broadcast: number }[] } })
            .__runderTisch?.rooms() ?? [];
          // The case room only: a host also keeps lobby rooms for invited people.
          const rooms = all.filter((r) => (r.kind ?? 'case') === 'case');
          return rooms.length === 1 && rooms[0]!.broadcast === 0 && rooms[0]!.webrtc.filter((c) => c.connected).length === n;
        },
        peers,
        { polling: 100, timeout: TIMEOUTS.setup },
      ),
    ),
  );
}

// The conference steps below mirror tests/e2e/app.ts (same labels and test ids), with the
// benchmark's timeouts: a slow case page is a finding to measure, not a reason to abort.

/** The host starts the table; people then come in by invite and admission only. */
export async function startConference(page: Page, name: string): Promise<void> {
  await page.getByLabel('Ihr Name').fill(name, { timeout: TIMEOUTS.setup });
  await page.getByRole('button', { name: 'Konferenz starten' }).click({ timeout: TIMEOUTS.setup });
  await page.getByTestId('invites').waitFor({ timeout: TIMEOUTS.setup });
}

/** The host invites one person and gets that person's link. */
export async function invite(host: Page, name: string, roleLabel: string): Promise<string> {
  await host.getByTestId('invite-name').fill(name, { timeout: TIMEOUTS.setup });
  await host.getByTestId('invite-role').selectOption({ label: roleLabel }, { timeout: TIMEOUTS.setup });
  await host.getByTestId('create-invite').click({ timeout: TIMEOUTS.setup });
  const link = host.locator(`[data-testid=invite][data-invite-name="${name}"] [data-testid=invite-link]`);
  await link.waitFor({ timeout: TIMEOUTS.setup });
  await host.waitForFunction(
    (input) => /#\/join\//.test((input as HTMLInputElement).value),
    await link.elementHandle(),
    { polling: 100, timeout: TIMEOUTS.setup },
  );
  return link.inputValue();
}

/** The guest opens the link and knocks; returns once the host's lobby shows the knock. */
export async function knock(guest: Page, host: Page, link: string, name: string, role: string): Promise<void> {
  await guest.goto(link);
  await guest.getByLabel('Ihr Name').fill(name, { timeout: TIMEOUTS.setup });
  await guest.getByLabel('Ihre Rolle').selectOption({ label: role }, { timeout: TIMEOUTS.setup });
  await guest.getByRole('button', { name: 'Beitreten' }).click({ timeout: TIMEOUTS.setup });
  await guest.getByTestId('my-fingerprint').waitFor({ timeout: TIMEOUTS.setup });
  await host.locator(`[data-testid=knock][data-name="${name}"]`).waitFor({ timeout: TIMEOUTS.setup });
}

/** The host lets the person in (the click a late join is timed from). */
export async function admit(host: Page, name: string): Promise<void> {
  await host.locator(`[data-testid=knock][data-name="${name}"]`).getByTestId('admit').click({ timeout: TIMEOUTS.setup });
}

/** Invite, knock, admit, and wait until the guest has the case open. */
export async function joinConference(guest: Page, host: Page, name: string, role: string): Promise<void> {
  const link = await invite(host, name, role);
  await knock(guest, host, link, name, role);
  await admit(host, name);
  await guest.getByTestId('case-title').waitFor({ timeout: TIMEOUTS.setup });
}

import type { Browser, Page } from '@playwright/test';
import { summariseCase } from '../../../src/domain/dashboard.ts';
import type { CaseRecord } from '../../../src/storage/caseRecord.ts';
import { DASHBOARD, TIMEOUTS } from '../config.ts';
import { caseRecords } from '../data/caseRecords.ts';
import type { AppProbe, BenchWindow } from '../inpage/api.ts';
import { openCaseList } from '../lib/appFlow.ts';
import { appParticipant } from '../lib/browser.ts';
import { figure, type Figure } from '../lib/report.ts';
import { rng } from '../lib/rng.ts';
import { median } from '../lib/stats.ts';

type Probe = BenchWindow<AppProbe>;

const pad = (n: number) => String(n).padStart(2, '0');
const isoIn = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/**
 * Case records as a busy case manager's device holds them: each with the summary the open case
 * would have written (src/app/caseSummary.ts), dates around today so the overdue and birthday
 * markers show: reviews from two weeks ago to two months ahead, birthdays up to two years on,
 * up to eight open tasks, a service ending at 25 now and then.
 */
export function dashboardRecords(count: number, seed = DASHBOARD.seed): CaseRecord[] {
  const random = rng(seed);
  const today = new Date();
  return caseRecords(seed, count, Date.now()).map((record) => {
    const birthday = new Date(today.getFullYear(), today.getMonth() + random.between(-2, 24), 1);
    const birthMonth = `${birthday.getFullYear() - 25}-${pad(birthday.getMonth() + 1)}`;
    const summary = summariseCase(
      {
        meta: { team: record.team, birthMonth },
        plan: { nextReview: isoIn(random.between(-14, 60)) },
        tasks: Array.from({ length: random.between(0, 3) }, (_, i) => ({
          what: `Aufgabe aus der Fallkonferenz ${i + 1}`,
          who: 'Frau Aydin',
          due: isoIn(random.between(-7, 30)),
          done: random.chance(0.3),
        })),
        steps: Array.from({ length: random.between(0, 5) }, (_, i) => ({
          what: `Schritt ${i + 1} des Hilfeplans, zum Beispiel Unterlagen für die Schuldnerberatung zusammenstellen`,
          who: random.chance(0.5) ? 'Klient' : '',
          status: random.chance(0.7) ? ('offen' as const) : ('erledigt' as const),
          responsible: 'klient' as const,
          due: isoIn(random.between(-7, 60)),
        })),
        partners: random.chance(0.2) ? [{ organisation: 'Jugendamt Mitte', endsAt25: true }] : [],
      },
      record,
    );
    return { ...record, birthMonth, summary, ...(random.chance(0.5) ? { lastBackupAt: Date.now() - random.between(1, 60) * 86_400_000 } : {}) };
  });
}

/** A browser context whose database holds `records`, its start page armed to time the list. */
async function listPage(browser: Browser, appUrl: string, probe: string, records: CaseRecord[]): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await appParticipant(browser, probe);
  await openCaseList(page, appUrl);
  await page.evaluate((r) => (window as unknown as Probe).__bench.putCases(r), records);
  await context.addInitScript((names) => (window as unknown as Probe).__bench.armList(names), records.map((r) => r.displayName));
  return { page, close: () => context.close() };
}

/** Navigation start until every case is listed and the next task runs (as caseListStart). */
async function listedMs(page: Page, appUrl: string): Promise<number> {
  await page.goto(`${appUrl}/`);
  return (await page.evaluate((t) => (window as unknown as Probe).__bench.whenListed(t), TIMEOUTS.render)).interactiveMs;
}

/**
 * Milliseconds from choosing a sort order to the re-sorted list on screen and the main thread
 * free again (the same end point as the list's time to interactive).
 */
function resortMs(page: Page, label: string, firstName: string): Promise<number> {
  return page.evaluate(
    ({ label, firstName, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const select = document.querySelector<HTMLSelectElement>('#dashboard-sort');
        const option = [...(select?.options ?? [])].find((o) => o.text === label);
        if (!select || !option) return reject(new Error(`no sort option ${label}`));
        const timer = setTimeout(() => reject(new Error(`list not re-sorted after ${timeoutMs} ms`)), timeoutMs);
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          // No named helper functions in here: the bundler's name helper does not exist in the page.
          if (document.querySelector('a.case-link')?.textContent?.trim() !== firstName) return;
          observer.disconnect();
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            clearTimeout(timer);
            resolve(performance.now() - t0);
          };
          channel.port2.postMessage(null);
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        select.value = option.value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }),
    { label, firstName, timeoutMs: TIMEOUTS.render },
  );
}

export interface DashboardResult {
  listMs: number[];
  baselineMs: number[];
  resortMs: number[];
}

export async function measureDashboard(browser: Browser, appUrl: string, probe: string): Promise<DashboardResult> {
  const records = dashboardRecords(DASHBOARD.count);
  const base = await listPage(browser, appUrl, probe, dashboardRecords(DASHBOARD.baselineCount));
  const full = await listPage(browser, appUrl, probe, records);
  try {
    const listMs: number[] = [];
    const baselineMs: number[] = [];
    // Baseline and app load by turns, so a busy moment of the machine falls on both alike.
    // Round 0 is not counted: it fills the HTTP cache, as for a returning user.
    for (let round = 0; round <= DASHBOARD.repeats; round++) {
      const b = await listedMs(base.page, appUrl);
      const a = await listedMs(full.page, appUrl);
      if (round > 0) {
        baselineMs.push(b);
        listMs.push(a);
      }
    }
    const collator = new Intl.Collator('de-DE', { sensitivity: 'base', numeric: true });
    const byName = records.map((r) => r.displayName).sort(collator.compare);
    const byUpdate = [...records].sort((a, b) => b.updatedAt - a.updatedAt)[0]!.displayName;
    const resort: number[] = [];
    for (let round = 0; round < DASHBOARD.repeats; round++) {
      resort.push(await resortMs(full.page, 'Name (A–Z)', byName[0]!));
      await resortMs(full.page, 'Zuletzt geändert (neueste zuerst)', byUpdate);
    }
    return { listMs, baselineMs, resortMs: resort };
  } finally {
    await base.close();
    await full.close();
  }
}

export function dashboardFigures(result: DashboardResult): Figure[] {
  const value = median(result.listMs);
  const baseline = median(result.baselineMs);
  const resort = median(result.resortMs);
  return [
    figure({
      id: 'dashboard.list',
      label: `Case dashboard time to interactive, ${DASHBOARD.count} cases with summaries`,
      value,
      unit: 'ms',
      baseline,
      target: `≤ 2× baseline (${DASHBOARD.baselineCount} cases)`,
      pass: value <= 2 * baseline,
      note: `median of ${result.listMs.length}; baseline: the same page with ${DASHBOARD.baselineCount} cases, measured in this run`,
    }),
    figure({
      id: 'dashboard.resort',
      label: `Case dashboard re-sorted by name, ${DASHBOARD.count} cases`,
      value: resort,
      unit: 'ms',
      target: '≤ 100 ms',
      pass: resort <= 100,
      note: `median of ${result.resortMs.length}; choosing the order until the list is on screen and the main thread is free`,
    }),
  ];
}

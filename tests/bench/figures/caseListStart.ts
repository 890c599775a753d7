import type { Browser } from '@playwright/test';
import { CASE_LIST, REPEATS, TIMEOUTS } from '../config.ts';
import { caseRecords } from '../data/caseRecords.ts';
import type { AppProbe, BenchWindow } from '../inpage/api.ts';
import { openCaseList } from '../lib/appFlow.ts';
import { appParticipant, heapAfterGc } from '../lib/browser.ts';
import { figure, type Figure } from '../lib/report.ts';
import { median } from '../lib/stats.ts';

type Probe = BenchWindow<AppProbe>;

/**
 * 500 local cases, then the start page loaded again and again: time from navigation start
 * until every case is listed and the main thread is free. One unmeasured load first, so the
 * measured ones find the code in the HTTP cache as a returning user does. Then its JS heap.
 */
export async function measureCaseListStart(
  browser: Browser,
  appUrl: string,
  probe: string,
): Promise<{ samples: number[]; heapBytes: number }> {
  const records = caseRecords(CASE_LIST.seed, CASE_LIST.count, CASE_LIST.now);
  const { context, page } = await appParticipant(browser, probe);
  try {
    await openCaseList(page, appUrl);
    await page.evaluate((r) => (window as unknown as Probe).__bench.putCases(r), records);
    await context.addInitScript((names) => (window as unknown as Probe).__bench.armList(names), records.map((r) => r.displayName));
    const samples: number[] = [];
    for (let round = 0; round <= REPEATS.caseListStart; round++) {
      await page.goto(`${appUrl}/`);
      const times = await page.evaluate((t) => (window as unknown as Probe).__bench.whenListed(t), TIMEOUTS.render);
      if (round > 0) samples.push(times.interactiveMs);
    }
    return { samples, heapBytes: await heapAfterGc(page) };
  } finally {
    await context.close();
  }
}

export function caseListFigures(result: { samples: number[]; heapBytes: number }): Figure[] {
  return [
    figure({
      id: 'case-list.tti',
      label: `Case list time to interactive, ${CASE_LIST.count} cases`,
      value: median(result.samples),
      unit: 'ms',
      note: `median of ${result.samples.length}; navigation start until all cases are listed and the next task runs`,
    }),
    figure({ id: 'memory.case-list', label: `JS heap, case list with ${CASE_LIST.count} cases`, value: result.heapBytes / 1e6, unit: 'MB' }),
  ];
}

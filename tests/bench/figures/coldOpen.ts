import type { Browser } from '@playwright/test';
import { newParticipant, type Participant } from '../../e2e/app.ts';
import { REPEATS } from '../config.ts';
import type { GeneratedCase } from '../data/caseHistory.ts';
import type { BenchWindow, IdbPage } from '../inpage/api.ts';
import { armRender, clickToRendered, openCaseList, verifyContent, type OpenSamples } from '../lib/appFlow.ts';
import { figure, type Figure } from '../lib/report.ts';
import { median } from '../lib/stats.ts';

/**
 * The app: a fresh page with the case list, click on the case, until the laid-out DOM shows
 * every goal, step and paragraph, all read from IndexedDB. One unmeasured round first, so
 * every measured round finds the code in the HTTP cache, as a returning user does.
 */
export async function appColdOpen(host: Participant, appUrl: string, large: GeneratedCase): Promise<OpenSamples> {
  const samples: OpenSamples = { rendered: [], built: [] };
  for (let round = 0; round <= REPEATS.coldOpen; round++) {
    await openCaseList(host.page, appUrl);
    await armRender(host.page, large.expected);
    await host.page.getByRole('link', { name: large.record.displayName }).click();
    const { ms, builtMs } = await clickToRendered(host.page);
    if (round === 0) await verifyContent(host.page, large);
    else {
      samples.rendered.push(ms);
      samples.built.push(builtMs);
    }
  }
  return samples;
}

/** The baseline: y-indexeddb loads the same document into a Y.Doc in a fresh page. */
export async function baselineColdOpen(browser: Browser, baseUrl: string, large: GeneratedCase): Promise<number[]> {
  const { context, page } = await newParticipant(browser);
  type W = BenchWindow<IdbPage>;
  try {
    await page.goto(`${baseUrl}/idb.html`);
    await page.evaluate((state) => (window as unknown as W).__bench.store('large-case', state), Buffer.from(large.state).toString('base64'));
    const samples: number[] = [];
    for (let round = 0; round <= REPEATS.coldOpen; round++) {
      await page.reload();
      const span = await page.evaluate((expected) => (window as unknown as W).__bench.open('large-case', expected), large.rawCounts);
      if (round > 0) samples.push(span.t1 - span.t0);
    }
    return samples;
  } finally {
    await context.close();
  }
}

export function coldOpenFigures(app: OpenSamples, baseline: number[], large: GeneratedCase): Figure[] {
  const value = median(app.rendered);
  const base = median(baseline);
  return [
    figure({
      id: 'cold-open',
      label: 'Cold open of the large case',
      value,
      unit: 'ms',
      baseline: base,
      target: '≤ 300 ms and ≤ 2× baseline',
      pass: value <= 300 && value <= 2 * base,
      note: `median of ${app.rendered.length}; click in the case list to laid-out DOM with ${large.expected.goals} goals, ${large.expected.steps} steps, ${large.expected.paragraphs} paragraphs (goal and step cards as previews: every word, controls built in idle time, as are the sub-goals' priority list and the minutes); baseline: y-indexeddb load into a Y.Doc, nothing rendered`,
    }),
    figure({
      id: 'cold-open.built',
      label: 'Cold open of the large case, until every card has its controls',
      value: median(app.built),
      unit: 'ms',
      note: `median of ${app.built.length}; click in the case list until no card is a preview any more (built in the browser's idle time)`,
    }),
  ];
}

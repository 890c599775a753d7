import type { Browser } from '@playwright/test';
import { newParticipant, type Participant } from '../../e2e/app.ts';
import { REPEATS, TIMEOUTS } from '../config.ts';
import type { GeneratedCase } from '../data/caseHistory.ts';
import type { BenchWindow, SyncPage } from '../inpage/api.ts';
import { admit, armRender, clickToRendered, invite, knock, startConference, verifyContent, type OpenSamples } from '../lib/appFlow.ts';
import { appParticipant } from '../lib/browser.ts';
import { figure, type Figure } from '../lib/report.ts';
import { median } from '../lib/stats.ts';

/** The incoming case manager of a U25 → Ü25 handover: no consent check stands before admission. */
const ROLE = 'Nachfolge-Fallmanager/in';

/**
 * The app: the host has the large case open in a conference; a fresh context opens its invite
 * link and knocks; measured from the host's click on „admit“ to the guest's laid-out DOM
 * showing every goal, step and paragraph (key hand-over, case room, sync and render). Each
 * round is a fresh context, so nothing is cached; the baseline has warmed up WebRTC already.
 */
export async function appLateJoin(
  browser: Browser,
  host: Participant,
  appUrl: string,
  probe: string,
  large: GeneratedCase,
): Promise<OpenSamples> {
  await host.page.goto(`${appUrl}/#/case/${large.caseId}`);
  await host.page.getByTestId('case-title').waitFor({ timeout: TIMEOUTS.setup });
  await startConference(host.page, 'Frau Aydin');
  // All invites first: the host's invite form is slow to respond once a guest has left again.
  const names = Array.from({ length: REPEATS.lateJoin }, (_, i) => `Spät ${i + 1}`);
  const links: string[] = [];
  for (const name of names) links.push(await invite(host.page, name, ROLE));
  const samples: OpenSamples = { rendered: [], built: [] };
  for (let round = 0; round < REPEATS.lateJoin; round++) {
    const guest = await appParticipant(browser, probe);
    const name = names[round]!;
    try {
      await knock(guest.page, host.page, links[round]!, name, ROLE);
      await armRender(guest.page, large.expected);
      await admit(host.page, name);
      const { ms, builtMs } = await clickToRendered(guest.page, host.page);
      samples.rendered.push(ms);
      samples.built.push(builtMs);
      if (round === 0) await verifyContent(guest.page, large);
    } finally {
      await guest.context.close();
    }
  }
  return samples;
}

/** The baseline: a fresh minimal page syncs the same document from a host page, raw Yjs over y-webrtc. */
export async function baselineLateJoin(browser: Browser, baseUrl: string, large: GeneratedCase): Promise<number[]> {
  type W = BenchWindow<SyncPage>;
  const host = await newParticipant(browser);
  try {
    await host.page.goto(`${baseUrl}/sync.html`);
    await host.page.evaluate(
      (state) => (window as unknown as W).__bench.host(state, 'bench-join', 'bench'),
      Buffer.from(large.state).toString('base64'),
    );
    const samples: number[] = [];
    for (let round = 0; round <= REPEATS.lateJoin; round++) {
      const joiner = await newParticipant(browser);
      try {
        await joiner.page.goto(`${baseUrl}/sync.html`);
        const span = await joiner.page.evaluate(
          ([expected, timeout]) => (window as unknown as W).__bench.join('bench-join', 'bench', expected!, timeout!),
          [large.rawCounts, TIMEOUTS.render] as const,
        );
        if (round > 0) samples.push(span.t1 - span.t0);
      } finally {
        await joiner.context.close();
      }
    }
    return samples;
  } finally {
    await host.context.close();
  }
}

export function lateJoinFigures(app: OpenSamples, baseline: number[], large: GeneratedCase): Figure[] {
  const value = median(app.rendered);
  const base = median(baseline);
  return [
    figure({
      id: 'late-join',
      label: 'Late join of the large case',
      value,
      unit: 'ms',
      baseline: base,
      target: '≤ 1000 ms and ≤ 2× baseline',
      pass: value <= 1000 && value <= 2 * base,
      note: `median of ${app.rendered.length}; host's click on „Einlassen“ (admit) to the guest's laid-out DOM (goal and step cards as previews: every word, controls built in idle time, as are the sub-goals' priority list and the minutes); case: ${large.edits} edits by ${large.clients} Yjs clients over two years, ${(large.state.length / 1024).toFixed(0)} KiB encoded; baseline: raw Yjs sync over y-webrtc, nothing rendered`,
    }),
    figure({
      id: 'late-join.built',
      label: 'Late join of the large case, until every card has its controls',
      value: median(app.built),
      unit: 'ms',
      note: `median of ${app.built.length}; host's click on „Einlassen“ until no card on the guest's page is a preview any more`,
    }),
  ];
}

import { resolve } from 'node:path';
import type { Participant } from '../e2e/app.ts';
import { startServer } from '../../src/server/app.ts';
import { LARGE_CASE, LATENCY, MEETING_CASE, SIGNALING, SOAK } from './config.ts';
import { generateCase } from './data/caseHistory.ts';
import { bundleFigures, measureBundle } from './figures/bundle.ts';
import { caseListFigures, measureCaseListStart } from './figures/caseListStart.ts';
import { dashboardFigures, measureDashboard } from './figures/dashboard.ts';
import { appColdOpen, baselineColdOpen, coldOpenFigures } from './figures/coldOpen.ts';
import { appLatency, baselineLatency, latencyFigures, type LatencySamples } from './figures/editLatency.ts';
import { appLateJoin, baselineLateJoin, lateJoinFigures } from './figures/lateJoin.ts';
import { measureSignaling, signalingFigures } from './figures/signaling.ts';
import { afterGcFigure, afterSoak, afterSoakFigures, heapsAfterSoak, latencyAgain, soak, soakFigures } from './figures/soak.ts';
import { measureStorage, storageFigure } from './figures/storage.ts';
import { injectCase } from './lib/appFlow.ts';
import { appParticipant, closeAll, launchBrowser } from './lib/browser.ts';
import { buildAll } from './lib/builds.ts';
import { Cleanup } from './lib/cleanup.ts';
import { machine } from './lib/machine.ts';
import { formatTable, unmeasured, writeResults, type Figure } from './lib/report.ts';

/**
 * npm run bench: builds the app and the baselines, measures every figure against its baseline
 * in this same run, prints a table and writes bench-results.json. Not a test: targets that
 * are missed are results; the exit code is non-zero only if the run itself broke.
 */
const RESULTS = resolve(import.meta.dirname, '../../bench-results.json');
const started = performance.now();
const cleanup = new Cleanup();
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const errors: string[] = [];
let host: Record<string, string | number> = machine(null);

/**
 * BENCH_ONLY=coldOpen,lateJoin,… measures only the named figures, for quick iteration on one
 * cause; the full run (no BENCH_ONLY) is what the README's table records. The soak needs the
 * conference of editLatency. BENCH_IDLE_CARETS=1 leaves every receiver's caret in the text
 * during the edit latency (diagnosis of the after-soak figure, see editLatency.ts).
 */
const FIGURE_NAMES = ['signaling', 'bundle', 'caseList', 'dashboard', 'coldOpen', 'lateJoin', 'editLatency', 'soak', 'storage'] as const;
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
for (const name of only) {
  if (!(FIGURE_NAMES as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown figure ${name}; known: ${FIGURE_NAMES.join(', ')}`);
}
const wanted = (name: (typeof FIGURE_NAMES)[number]) => only.size === 0 || only.has(name);
/** Resolves to undefined without running `run` when the figure is not wanted. */
const ifWanted = <T>(name: (typeof FIGURE_NAMES)[number], run: () => Promise<T | undefined>): Promise<T | undefined> =>
  wanted(name) ? run() : Promise.resolve(undefined);

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const short = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

/** Runs one part; a failure is recorded (with failed rows for its targets) and the run goes on. */
async function phase<T>(name: string, fn: () => Promise<T>, failed: (reason: string) => Figure[] = () => []): Promise<T | undefined> {
  const t = performance.now();
  console.log(`▶ ${name}`);
  try {
    const result = await fn();
    console.log(`  done in ${seconds(t)} s`);
    return result;
  } catch (error) {
    errors.push(`${name}: ${short(error)}`);
    figures.push(...failed(short(error)));
    console.log(`  FAILED after ${seconds(t)} s: ${short(error)}`);
    return undefined;
  }
}

process.once('SIGINT', () => {
  console.log('interrupted: cleaning up');
  void cleanup.all().finally(() => process.exit(130));
});

try {
  const builds = await phase('build app, baselines and probe', () => buildAll(cleanup));
  if (!builds) throw new Error('nothing to measure without builds');

  const signaling = await ifWanted('signaling', () =>
    phase(
      'signaling capacity (stock server, then ours)',
      () => measureSignaling(builds.app, cleanup),
      (reason) => [unmeasured('signaling.throughput', 'Signaling: relayed messages/s sustained', '≥ stock server', reason)],
    ),
  );
  if (signaling) {
    details.signaling = { settings: SIGNALING, ...signaling };
    figures.push(...signalingFigures(signaling));
  }

  const b = await launchBrowser(cleanup);
  host = machine(b);
  const app = await startServer({ port: 0, host: '127.0.0.1', staticDir: builds.app });
  cleanup.add('app server', () => app.close());
  const baseline = await startServer({ port: 0, host: '127.0.0.1', staticDir: builds.baseline });
  cleanup.add('baseline server', () => baseline.close());

  const large = generateCase(LARGE_CASE);
  const meeting = generateCase(MEETING_CASE);
  const describe = (c: typeof large) => ({ edits: c.edits, clients: c.clients, encodedBytes: c.state.length, richTextChars: c.richTextChars, ...c.expected });
  details.cases = { large: describe(large), meeting: describe(meeting) };

  const bundle = await ifWanted('bundle', () =>
    phase('bundle', () => measureBundle(b, app.url), (reason) => [
      unmeasured('bundle.case-list.js', 'Initial JS, case list (gzip)', '≤ 200 kB', reason),
    ]),
  );
  if (bundle) {
    details.bundle = bundle;
    figures.push(...bundleFigures(bundle));
  }

  const list = await ifWanted('caseList', () => phase('case list with 500 cases', () => measureCaseListStart(b, app.url, builds.probe)));
  if (list) {
    details.caseList = list;
    figures.push(...caseListFigures(list));
  }

  const dashboard = await ifWanted('dashboard', () =>
    phase('case dashboard: 500 cases against 10, and a re-sort', () => measureDashboard(b, app.url, builds.probe), (reason) => [
      unmeasured('dashboard.list', 'Case dashboard time to interactive, 500 cases', '≤ 2× baseline (10 cases)', reason),
    ]),
  );
  if (dashboard) {
    details.dashboard = dashboard;
    figures.push(...dashboardFigures(dashboard));
  }

  // Baselines first, in a quiet browser: an app page that just rendered the large case keeps
  // the machine busy for a while, which would make the baselines look slower than they are.
  const largeCase = wanted('coldOpen') || wanted('lateJoin');
  const largeBase = !largeCase
    ? undefined
    : await phase('large case baselines: y-indexeddb load, raw Yjs sync', async () => ({
        coldOpen: wanted('coldOpen') ? await baselineColdOpen(b, baseline.url, large) : [],
        lateJoin: wanted('lateJoin') ? await baselineLateJoin(b, baseline.url, large) : [],
      }));
  const opener = await appParticipant(b, builds.probe);
  cleanup.add('large case host', () => opener.context.close());
  if (largeCase) await injectCase(opener.page, app.url, large);
  const coldOpen = await ifWanted('coldOpen', () => phase(
    'cold open of the large case',
    async () => {
      if (!largeBase) throw new Error('no baseline');
      return { baseline: largeBase.coldOpen, app: await appColdOpen(opener, app.url, large) };
    },
    (reason) => [unmeasured('cold-open', 'Cold open of the large case', '≤ 300 ms and ≤ 2× baseline', reason)],
  ));
  if (coldOpen) {
    details.coldOpen = coldOpen;
    figures.push(...coldOpenFigures(coldOpen.app, coldOpen.baseline, large));
  }
  const lateJoin = await ifWanted('lateJoin', () => phase(
    'late join of the large case',
    async () => {
      if (!largeBase) throw new Error('no baseline');
      return { baseline: largeBase.lateJoin, app: await appLateJoin(b, opener, app.url, builds.probe, large) };
    },
    (reason) => [unmeasured('late-join', 'Late join of the large case', '≤ 1000 ms and ≤ 2× baseline', reason)],
  ));
  if (lateJoin) {
    details.lateJoin = lateJoin;
    figures.push(...lateJoinFigures(lateJoin.app, lateJoin.baseline, large));
  }
  await cleanup.now('large case host');

  let conference: Participant[] = [];
  const latency = await ifWanted('editLatency', () => phase(
    `edit latency (baseline, then app) with ${LATENCY.participants.join(', ')} participants`,
    async () => {
      const base: LatencySamples = await baselineLatency(b, baseline.url);
      const ours = await appLatency(b, app.url, builds.probe, meeting);
      conference = ours.conference;
      cleanup.add('conference', () => closeAll(conference));
      return { baseline: base, app: ours.samples };
    },
    (reason) => [unmeasured('edit-latency.8.p95', 'Edit latency p95, 8 participants', '≤ 1.5× baseline and ≤ 30 ms', reason)],
  ));
  if (latency) {
    details.editLatency = latency;
    figures.push(...latencyFigures(latency.app, latency.baseline));
  }

  // The storage replay (20,000 IndexedDB writes, not timed) runs beside the soak, whose
  // figure is memory, not time: that keeps the whole run within its 15 minutes.
  const storage = ifWanted('storage', () =>
    phase(
      "storage: the large case replayed edit by edit through the app's DocPersistence",
      () => measureStorage(b, baseline.url, large),
      (reason) => [unmeasured('storage.ratio', 'Stored update log / encoded state', '< 3×', reason)],
    ),
  );
  const soaked = !wanted('soak')
    ? Promise.resolve(undefined)
    : conference.length > 0
      ? phase(
          `memory soak: ${SOAK.minutes} min of editing by ${conference.length} participants`,
          () => soak(conference, meeting),
          (reason) => [unmeasured('memory.conference', 'JS heap after the editing soak', '< 150 MB', reason)],
        )
      : Promise.resolve(undefined);
  const [stored, soakResult] = await Promise.all([storage, soaked]);
  if (soakResult) {
    details.soak = soakResult;
    const after = await phase(
      'after the soak: all copies identical, edit latency again',
      () => afterSoak(conference),
      (reason) => [unmeasured('soak.identical', 'All copies identical after the soak', 'identical within 120 s', reason)],
    );
    // Only now the heaps: their forced GC would disturb the latency just measured.
    const heaps = await phase(
      'after the soak: JS heaps after a forced GC, then the edit latency once more',
      async () => {
        const heapBytes = await heapsAfterSoak(conference);
        return { heapBytes, latencyAfterGc: await latencyAgain(conference) };
      },
      (reason) => [unmeasured('memory.conference', 'JS heap after the editing soak', '< 150 MB', reason)],
    );
    if (heaps) {
      details.heapsAfterSoak = heaps;
      figures.push(...soakFigures(soakResult, heaps.heapBytes, conference.length));
    }
    if (after) {
      details.afterSoak = after;
      figures.push(...afterSoakFigures(after, latency?.baseline[conference.length], conference.length));
    }
    if (heaps) figures.push(afterGcFigure(heaps.latencyAfterGc, conference.length));
  } else if (wanted('soak') && conference.length === 0) {
    figures.push(unmeasured('memory.conference', 'JS heap after the editing soak', '< 150 MB', 'no conference'));
  }
  if (stored) {
    details.storage = stored;
    figures.push(storageFigure(stored));
  }
} catch (error) {
  errors.push(short(error));
} finally {
  errors.push(...(await cleanup.all()));
  const durationSeconds = Math.round((performance.now() - started) / 1000);
  await writeResults(RESULTS, { date: new Date().toISOString(), machine: host, durationSeconds, figures, details, errors });
  console.log(`\n${formatTable(figures)}\n`);
  if (errors.length > 0) console.log(`Errors:\n${errors.map((e) => `- ${e}`).join('\n')}\n`);
  const passed = figures.filter((f) => f.pass === true).length;
  const targeted = figures.filter((f) => f.pass !== null).length;
  console.log(`${passed} of ${targeted} targets met; ${durationSeconds} s; results in ${RESULTS}`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

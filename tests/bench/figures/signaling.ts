import { defaultSignalingLimits } from '../../../src/server/signaling.ts';
import { SIGNALING } from '../config.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import { figure, type Figure } from '../lib/report.ts';
import { runStages, type StageResult } from '../signaling/loadGenerator.ts';
import { startOurSignaling, startStockSignaling } from '../signaling/servers.ts';

export interface SignalingResults {
  /** One list of stage results per trial. */
  ours: StageResult[][];
  stock: StageResult[][];
}

/** Trials per server, alternating stock and ours, so a transient hiccup does not decide. */
const TRIALS = 2;

/** The same load generator against y-webrtc's stock server and ours, one server at a time. */
export async function measureSignaling(staticDir: string, cleanup: Cleanup): Promise<SignalingResults> {
  const results: SignalingResults = { ours: [], stock: [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    const stock = await startStockSignaling(cleanup);
    results.stock.push(await runStages(stock.url, SIGNALING, stock.cpuMs));
    await stock.stop();
    const ours = await startOurSignaling(staticDir, cleanup);
    results.ours.push(await runStages(ours.url, SIGNALING, ours.cpuMs));
    await ours.stop();
  }
  return results;
}

/** Median server CPU per 1000 relays over every stage of every trial: steady under contention. */
function cpuPer1000(trials: StageResult[][]): number {
  const values = trials.flat().flatMap((r) => (r.cpuMsPer1000Relays === null ? [] : [r.cpuMsPer1000Relays]));
  values.sort((a, b) => a - b);
  return values.length > 0 ? values[Math.floor(values.length / 2)]! : Number.NaN;
}

/** The better trial: the highest sustained stage; its p99 per stage is the lower of the trials. */
function combine(trials: StageResult[][]): { best: StageResult | undefined; p99At(connections: number): number | undefined } {
  const sustained = trials.flat().filter((r) => r.sustained);
  const best = sustained.sort((a, b) => a.connections - b.connections).at(-1);
  return {
    best,
    p99At: (connections) => {
      const values = trials.flat().filter((r) => r.connections === connections && r.latency).map((r) => r.latency!.p99);
      return values.length > 0 ? Math.min(...values) : undefined;
    },
  };
}

export function signalingFigures({ ours, stock }: SignalingResults): Figure[] {
  const limits = defaultSignalingLimits;
  const limiter = `limiter: ${limits.rateLimitPerSecond} msg/s per connection (burst ${limits.rateLimitBurst}), at most ${limits.maxConnections} connections; load: ${SIGNALING.messagesPerSecond} msg/s per connection, rooms of ${SIGNALING.roomSize}, ${SIGNALING.payloadBytes} B payload, ${SIGNALING.stageSeconds} s per stage; sustained = loss ≤ ${SIGNALING.maxLossRatio * 100} %, p99 ≤ ${SIGNALING.maxP99Ms} ms, no drops`;
  const oursCombined = combine(ours);
  const stockCombined = combine(stock);
  const o = oursCombined.best;
  const s = stockCombined.best;
  // Latency compared at the highest load both servers sustain: equal work for both.
  const common = Math.min(o?.connections ?? 0, s?.connections ?? 0);
  const oAt = oursCombined.p99At(common);
  const sAt = stockCombined.p99At(common);
  return [
    figure({
      id: 'signaling.connections',
      label: 'Signaling: concurrent connections sustained',
      value: o?.connections ?? 0,
      unit: 'conns',
      baseline: s?.connections ?? 0,
      note: `better of ${TRIALS} alternating trials; stages ${SIGNALING.stages.join(', ')}`,
    }),
    figure({
      id: 'signaling.throughput',
      label: 'Signaling: relayed messages/s sustained',
      value: o?.offeredRelaysPerSecond ?? 0,
      unit: 'msg/s',
      baseline: s?.offeredRelaysPerSecond ?? 0,
      target: '≥ stock server',
      pass: o !== undefined && s !== undefined && o.offeredRelaysPerSecond >= s.offeredRelaysPerSecond,
      note: limiter,
    }),
    figure({
      id: 'signaling.p99',
      label: `Signaling: p99 relay latency at ${common} connections`,
      value: oAt ?? Number.NaN,
      unit: 'ms',
      baseline: sAt ?? Number.NaN,
      target: '≤ stock server',
      pass: common > 0 && oAt !== undefined && sAt !== undefined && oAt <= sAt,
      note: `lower of ${TRIALS} alternating trials per server`,
    }),
    figure({
      id: 'signaling.cpu',
      label: 'Signaling: server CPU per 1000 relays',
      value: cpuPer1000(ours),
      unit: 'ms',
      baseline: cpuPer1000(stock),
      note: 'median over all stages and trials; user + system time of the server process',
    }),
  ];
}

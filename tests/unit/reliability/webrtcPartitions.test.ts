import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';
import { startTestServer, waitUntil, type TestServer } from '../server/helpers.ts';
import { convergenceProblems, lossProblems } from './sim/check.ts';
import { Ledger, mergeLedger, type LedgerJson } from './sim/ledger.ts';
import { Rng } from './sim/random.ts';
import { Replica } from './sim/replica.ts';
import { PeerCrashedError, PeerProcess, type PeerState } from './sim/webrtcDriver.ts';

/**
 * The partitions property over real WebRTC (issue 8): three Node processes, each one replica
 * with the app's ConferenceRoom (y-webrtc, @roamhq/wrtc) through our signaling server, edit
 * through the case API while a seeded schedule takes them offline and back (the browser's
 * offline/online events, which ConferenceRoom follows by dropping and re-creating its
 * provider). After all are back: same state everywhere and every acknowledged edit there, as
 * in the in-memory test (sim/check.ts). `RT_WEBRTC_SEEDS` sets the number of seeds.
 *
 * `npm test` runs 3 seeds; `npm run soak` runs RT_WEBRTC_SEEDS (10) and the other partition
 * modes. Peers whose handshake stalls are given up and retried by ConferenceRoom
 * (src/sync/signalingReconnect.ts); before that, peers sometimes never connected after a
 * rejoin (docs/reliability.md). A peer process killed by a native fault (SIGSEGV in
 * @roamhq/wrtc, seen under load) is not a finding about the app: that seed runs again in
 * fresh processes (MAX_ATTEMPTS). Any other failure fails the test.
 */

const SEEDS = Number(process.env.RT_WEBRTC_SEEDS ?? 3);
/** A seed whose peer process dies of a native fault runs again, at most this often in all. */
const MAX_ATTEMPTS = 3;
const PEERS = 3;
/**
 * `settled` (the default): after a replica comes back, the test waits until it is connected to
 * every replica that is online before the schedule goes on. Unsettled (RT_WEBRTC_UNSETTLED=1,
 * part of npm run soak) lets replicas drop and come back while others are still connecting:
 * that form finds the reconnect problem described in docs/reliability.md.
 */
const SETTLED = !process.env.RT_WEBRTC_UNSETTLED;
/**
 * How a replica drops out: `close` leaves the room and joins it again later (the case closed and
 * reopened), `offline` fires the browser's offline and online events (ConferenceRoom drops its
 * provider and makes a fresh one). RT_WEBRTC_PARTITION=offline selects the latter.
 */
const PARTITION = process.env.RT_WEBRTC_PARTITION === 'offline' ? (['offline', 'online'] as const) : (['close', 'open'] as const);
const STEPS = Number(process.env.RT_WEBRTC_STEPS ?? 24);
/** Deadline for a condition over real connections on a loaded machine (not a measurement). */
const PATIENCE = Number(process.env.RT_WEBRTC_PATIENCE ?? 90_000);

let server: TestServer;
let peers: PeerProcess[] = [];
/** Connections per replica at the end of each seed (for the soak log). */
const meshes: string[] = [];
/** Most errors any peer process saw thrown in an event handler (cumulative per process). */
let uncaught = 0;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await server?.stop();
});

/** Fresh processes per seed: nothing of one seed's rooms and connections is left for the next. */
async function freshPeers(): Promise<void> {
  await Promise.all(peers.map((p) => p.stop()));
  peers = Array.from({ length: PEERS }, () => new PeerProcess());
  await Promise.all(peers.map((p) => p.started));
}

async function states(): Promise<PeerState[]> {
  return Promise.all(peers.map((p) => p.request<PeerState>({ op: 'state' })));
}

/** Polls the peers until `condition` holds for their states (an IPC round trip each time). */
async function until(condition: (s: PeerState[]) => boolean, label: string): Promise<PeerState[]> {
  let last: PeerState[] = [];
  // A peer process that died of a native fault ends the wait at once (the seed reruns).
  let crashed: PeerCrashedError | null = null;
  try {
    await expect
      .poll(
        async () => {
          try {
            last = await states();
          } catch (error) {
            if (!(error instanceof PeerCrashedError)) throw error;
            crashed = error;
            return true;
          }
          return condition(last);
        },
        { timeout: PATIENCE, interval: 100 },
      )
      .toBe(true);
  } catch {
    if (crashed) throw crashed;
    const detail = last.map((s) => ({ peers: s.peers, handshakes: s.handshakes, uncaught: s.uncaught, sv: s.sv.length ? [...Y.decodeStateVector(Uint8Array.from(s.sv))].sort() : [], sameView: s.view === last[0]!.view, sameRich: s.rich === last[0]!.rich }));
    throw new Error(`timed out waiting for ${label}: ${JSON.stringify(detail)}, signaling ${JSON.stringify(server.server.signaling.stats())}`);
  }
  if (crashed) throw crashed;
  return last;
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function runWebrtcSeed(seed: number): Promise<{ problems: string[]; edits: number; partitions: number }> {
  const rng = new Rng(seed);
  const origin = new Y.Doc();
  CaseDocument.initialize(origin, { displayName: 'Fall', team: 'U25' });
  const state = [...Y.encodeStateAsUpdate(origin)];
  const secret = newRoomSecret();
  await freshPeers();
  // One after the other, each connected to those before it over WebRTC (not BroadcastChannel:
  // separate processes). Joining at the same instant can leave a pair unconnected for good
  // (both sides start the handshake; see docs/reliability.md), which is not what this tests.
  for (const [index, p] of peers.entries()) {
    await p.request({ op: 'reset', roomId: secret.roomId, key: secret.key, url: server.wsUrl, index, seed, state });
    await until((s) => s.slice(0, index + 1).every((x) => x.peers === index && x.broadcast === 0), `mesh of ${index + 1}`);
  }

  const online = peers.map(() => true);
  let partitions = 0;
  for (let step = 0; step < STEPS; step++) {
    const i = rng.int(PEERS);
    if (rng.chance(0.65)) await peers[i]!.request({ op: 'edit', count: 1 + rng.int(4) });
    else {
      online[i] = !online[i];
      partitions++;
      await peers[i]!.request({ op: online[i] ? PARTITION[1] : PARTITION[0] });
      if (SETTLED && online[i]) {
        const up = online.flatMap((on, k) => (on ? [k] : []));
        await until((s) => up.every((k) => s[k]!.peers === up.length - 1), 'reconnect');
      }
    }
  }
  for (const [i, p] of peers.entries()) if (!online[i]) await p.request({ op: PARTITION[1] });

  // Converged: every replica connected to someone, all with the same state. (A pair that came
  // back at the same instant may stay unconnected; y-webrtc passes updates on through the third.)
  const final = await until(
    (s) => s.every((x) => x.peers >= 1 && same(x.sv, s[0]!.sv) && x.view === s[0]!.view && x.rich === s[0]!.rich),
    'convergence',
  );
  meshes.push(final.map((x) => x.peers).join(''));
  uncaught = Math.max(uncaught, ...final.map((x) => x.uncaught));
  const ledger = new Ledger();
  for (const p of peers) mergeLedger(ledger, await p.request<LedgerJson>({ op: 'ledger' }));
  const replicas = final.map((s, i) => new Replica(i, Uint8Array.from(s.state), 1 + i));
  const problems = [
    ...final.flatMap((s, i) => (s.incrementalMatches ? [] : [`replica ${i}: incremental view differs from a fresh read`])),
    ...convergenceProblems(replicas),
    ...replicas.flatMap((r) => lossProblems(ledger, r)),
  ];
  return { problems, edits: ledger.edits, partitions };
}

describe('partitions over real WebRTC (3 Node peers, our signaling server)', () => {
  it(`${SEEDS} seeds converge and lose no acknowledged edit`, { timeout: SEEDS * 2 * PATIENCE + 60_000 }, async () => {
    let edits = 0;
    let partitions = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      let result: Awaited<ReturnType<typeof runWebrtcSeed>> | null = null;
      for (let attempt = 1; !result; attempt++) {
        try {
          result = await runWebrtcSeed(seed);
        } catch (error) {
          if (!(error instanceof PeerCrashedError) || attempt === MAX_ATTEMPTS) throw error;
          console.warn(`webrtc partitions: seed ${seed} again (attempt ${attempt + 1}): ${error.message}`);
        }
      }
      expect({ seed, problems: result.problems }).toEqual({ seed, problems: [] });
      edits += result.edits;
      partitions += result.partitions;
    }
    if (process.env.RT_WEBRTC_SEEDS) console.log(`webrtc partitions: ${SEEDS} seeds, ${edits} edits, ${partitions} offline/online switches; connections per replica at the end: ${meshes.join(' ')}; errors thrown in handlers (most in one peer): ${uncaught}`);
    expect(edits).toBeGreaterThan(0);
    expect(partitions).toBeGreaterThan(0);
    await waitUntil(() => server.server.signaling.stats().connections >= PEERS, 'peers on the signaling server');
  });
});

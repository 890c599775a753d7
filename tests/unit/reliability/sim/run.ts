import * as Y from 'yjs';
import { CaseDocument } from '../../../../src/case/caseDocument.ts';
import { convergenceProblems, lossProblems } from './check.ts';
import { Ledger } from './ledger.ts';
import { Network, type Faults, type NetworkStats } from './network.ts';
import { Chars, randomEdit } from './ops.ts';
import { Rng } from './random.ts';
import { Replica } from './replica.ts';

export interface RunOptions extends Faults {
  /** Scheduler steps (edits, deliveries, partitions …) before the network heals. */
  steps: number;
}

export interface RunResult {
  seed: number;
  replicas: number;
  edits: number;
  stats: NetworkStats;
  problems: string[];
}

/** CI-sized: about 40 edits per seed. The soak run takes more steps (RT_SOAK_STEPS). */
export const DEFAULT_OPTIONS: RunOptions = { steps: 100, drop: 0.05, duplicate: 0.05 };

/**
 * One seeded run: 3 to 5 replicas of a case edit through the case API while the network
 * partitions, drops, duplicates and reorders messages and replicas go offline or restart;
 * then the network heals (everyone online in one group, reliable delivery until quiet) and
 * the end state is checked. `newId` must be seeded by the caller (ids then follow the seed).
 */
export function runSeed(seed: number, options: RunOptions = DEFAULT_OPTIONS): RunResult {
  const rng = new Rng(seed);
  const chars = new Chars();
  const ledger = new Ledger();
  const count = 3 + rng.int(3);
  const nextClient = () => 1 + rng.int(0x3fffffff);

  // The case as its creator made it; everyone starts from that (they joined by invite).
  const origin = new Y.Doc();
  origin.clientID = nextClient();
  CaseDocument.initialize(origin, { displayName: 'Fall', team: 'U25' });
  const initial = Y.encodeStateAsUpdate(origin);
  const replicas = Array.from({ length: count }, (_, i) => new Replica(i, initial, nextClient()));
  const net = new Network(replicas, !options.noHandshake);
  const faults: Faults = { drop: options.drop, duplicate: options.duplicate };

  for (let step = 0; step < options.steps; step++) {
    const roll = rng.int(100);
    if (roll < 40) randomEdit(rng, chars, ledger, rng.pick(replicas));
    else if (roll < 78) {
      for (let n = 1 + rng.int(4); n > 0; n--) net.deliverOne(rng, faults);
    } else if (roll < 84) {
      const groups = 1 + rng.int(3);
      net.reshape(() => (net.group = replicas.map(() => rng.int(groups))));
    } else if (roll < 89) {
      const r = rng.pick(replicas);
      net.reshape(() => (r.online = !r.online));
    } else if (roll < 92) {
      net.flap(rng.int(count), rng.int(count));
    } else if (roll < 95) {
      net.resync(rng.int(count));
    } else if (roll < 97) {
      const r = rng.pick(replicas);
      r.reload(nextClient());
      net.attach(r);
      net.restarted(r.index);
    } else {
      while (net.deliverOne(rng, faults));
    }
  }

  // Healing: everyone online in one group; connections that were up stay up, the others open
  // with a handshake; every message is delivered, once, in random order, until none is left.
  net.reshape(() => {
    net.group = replicas.map(() => 0);
    for (const r of replicas) r.online = true;
  });
  while (net.deliverOne(rng, null));

  const problems = [...convergenceProblems(replicas), ...replicas.flatMap((r) => lossProblems(ledger, r))];
  return { seed, replicas: count, edits: ledger.edits, stats: net.stats, problems };
}

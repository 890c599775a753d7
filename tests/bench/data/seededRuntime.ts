import type { Rng } from '../lib/rng.ts';

/**
 * Runs `fn` with crypto.randomUUID and Date.now replaced by seeded ones, so the real
 * CaseDocument API (which draws ids and timestamps itself) writes the same case every run.
 */
export function withSeededRuntime<T>(random: Rng, clock: () => number, fn: () => T): T {
  const realNow = Date.now;
  Object.defineProperty(globalThis.crypto, 'randomUUID', {
    value: () => random.uuid(),
    configurable: true,
    writable: true,
  });
  Date.now = clock;
  try {
    return fn();
  } finally {
    Date.now = realNow;
    // Removing the own property uncovers the real method on Crypto.prototype again.
    delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  }
}

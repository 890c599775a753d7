import { cpus, loadavg, release, totalmem } from 'node:os';
import type { Browser } from '@playwright/test';

/** Where the figures were measured: they mean little without it. */
export function machine(browser: Browser | null): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 1e9),
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium: browser?.version() ?? 'not started',
    // Other work on the machine (a test run, a build) skews every timing; this shows it.
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  };
}

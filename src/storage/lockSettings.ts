import { z } from 'zod';
import type { RunderTischDb } from './db.ts';

export const IDLE_MINUTES_KEY = 'lock.idleMinutes';
export const DEFAULT_IDLE_MINUTES = 10;
/** Six seconds: short enough for an end-to-end test to see the idle lock, harmless otherwise. */
export const MIN_IDLE_MINUTES = 0.1;
export const MAX_IDLE_MINUTES = 480;

export const IdleMinutes = z.number().finite().min(MIN_IDLE_MINUTES).max(MAX_IDLE_MINUTES);

/** Minutes without input after which the app locks itself (only with a device passphrase). */
export async function loadIdleMinutes(db: RunderTischDb): Promise<number> {
  const parsed = IdleMinutes.safeParse((await db.settings.get(IDLE_MINUTES_KEY))?.value);
  return parsed.success ? parsed.data : DEFAULT_IDLE_MINUTES;
}

export async function saveIdleMinutes(db: RunderTischDb, minutes: number): Promise<number> {
  const value = IdleMinutes.parse(minutes);
  await db.settings.put({ key: IDLE_MINUTES_KEY, value });
  return value;
}

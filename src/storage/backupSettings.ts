import { z } from 'zod';
import { Timestamp } from '../domain/dates.ts';
import type { RunderTischDb } from './db.ts';

/** Device settings of the backup reminder (Dexie `settings`, never shared with peers). */
export const LAST_BACKUP_KEY = 'backup.lastAt';
export const REMIND_DAYS_KEY = 'backup.remindDays';
export const DEFAULT_REMIND_DAYS = 7;
export const MIN_REMIND_DAYS = 1;
export const MAX_REMIND_DAYS = 365;

export const RemindDays = z.number().int().min(MIN_REMIND_DAYS).max(MAX_REMIND_DAYS);

export interface BackupStatus {
  /** When the last backup file was made on this device, if ever. */
  lastAt: number | null;
  remindDays: number;
}

export async function loadBackupStatus(db: RunderTischDb): Promise<BackupStatus> {
  const [last, days] = await Promise.all([db.settings.get(LAST_BACKUP_KEY), db.settings.get(REMIND_DAYS_KEY)]);
  const lastAt = Timestamp.safeParse(last?.value);
  const remindDays = RemindDays.safeParse(days?.value);
  return { lastAt: lastAt.success ? lastAt.data : null, remindDays: remindDays.success ? remindDays.data : DEFAULT_REMIND_DAYS };
}

export async function recordBackup(db: RunderTischDb, at: number): Promise<void> {
  await db.settings.put({ key: LAST_BACKUP_KEY, value: Timestamp.parse(at) });
}

export async function saveRemindDays(db: RunderTischDb, days: number): Promise<number> {
  const value = RemindDays.parse(days);
  await db.settings.put({ key: REMIND_DAYS_KEY, value });
  return value;
}

/** True when a reminder is due: no backup yet (with cases to lose), or the last one is too old. */
export function backupDue(status: BackupStatus, now: number, hasCases: boolean): boolean {
  if (!hasCases) return false;
  if (status.lastAt === null) return true;
  return now - status.lastAt >= status.remindDays * 24 * 60 * 60 * 1000;
}

import { BackupError } from '../../app/backup.ts';
import { t } from '../../i18n/index.svelte.ts';

/** The German (or English) sentence for a failed export or import; always says nothing changed. */
export function backupErrorText(error: unknown): string {
  if (error instanceof BackupError) return t(`backup.error.${error.kind}`);
  return t('backup.error.other', { message: error instanceof Error ? error.message : String(error) });
}

import type { CaseView } from '../../case/read.ts';
import type { AuditRecord } from '../../domain/audit.ts';
import { de } from '../../i18n/catalogue.ts';
import { formatDate, t, type MessageKey } from '../../i18n/index.svelte.ts';
import { itemLabel } from '../case/assessment/itemLabel.ts';

/** Plain-language parts of one audit entry, for the item history and the case timeline. */

function fieldLabel(field: string): string {
  const key = `audit.field.${field}`;
  return key in de ? t(key as MessageKey) : field;
}

/** Who made the entry: the participant with that device, else the name the device gave, else the device. */
export function auditWho(record: AuditRecord, view: Pick<CaseView, 'participants'>): string {
  const claim = record.claim;
  if (!claim) return t('audit.unreadable');
  const member = view.participants.find((p) => p.fingerprint === claim.fingerprint);
  const name = member?.name ?? claim.name;
  const role = member?.role ?? claim.role;
  if (!name) return t('audit.device', { fingerprint: claim.fingerprint });
  return role ? t('audit.whoRole', { name, role: t(`role.${role}`) }) : name;
}

export function auditWhat(record: AuditRecord): string {
  const claim = record.claim;
  if (!claim) return t('audit.unreadable');
  switch (claim.action) {
    case 'changed':
      return t('audit.action.changed', { fields: claim.fields.map(fieldLabel).join(', ') });
    case 'moved':
      return claim.fields.includes('visibility') ? t('audit.action.movedScope') : t('audit.action.moved');
    default:
      return t(`audit.action.${claim.action}`);
  }
}

export function auditWhen(record: AuditRecord): string {
  const claim = record.claim;
  if (!claim) return '';
  return claim.until - claim.at >= 60_000 ? `${formatDate(claim.at)} – ${formatDate(claim.until)}` : formatDate(claim.until);
}

/** The entry with `id`, live or removed; without copying the lists (called once per item). */
function findIn<T extends { id: string }>(live: readonly T[], removed: readonly T[], id: string): T | undefined {
  return live.find((e) => e.id === id) ?? removed.find((e) => e.id === id);
}

/** The item an entry is about, for the case timeline. */
export function auditItem(record: AuditRecord, view: CaseView): string {
  const claim = record.claim;
  if (!claim) return '';
  const kind = t(`audit.item.${claim.collection}`);
  const id = claim.entityId;
  let label: string | undefined;
  if (claim.collection === 'goals') label = findIn(view.goals, view.removed.goals, id)?.title;
  else if (claim.collection === 'steps') label = findIn(view.steps, view.removed.steps, id)?.what;
  else {
    const item = findIn(view.assessment, view.removed.assessment, id);
    label = item ? itemLabel(item, 60) : undefined;
  }
  if (label === undefined) return t('audit.item.gone', { kind });
  return t('audit.item.label', { kind, label: label.trim() || '…' });
}

/** The item `entityId` as people name it (kind and label), for the history's accessible name. */
export function itemName(view: CaseView, entityId: string): string {
  for (const collection of ['goals', 'steps', 'assessment'] as const) {
    const live = view[collection] as { id: string }[];
    const removed = view.removed[collection] as { id: string }[];
    if (live.some((e) => e.id === entityId) || removed.some((e) => e.id === entityId)) {
      return auditItem({ key: '', verified: true, claim: { collection, entityId } as AuditRecord['claim'] }, view);
    }
  }
  return '';
}

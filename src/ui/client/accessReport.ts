import type { CaseView } from '../../case/read.ts';
import { COLLECTION_NAMES, type CollectionName } from '../../case/collections.ts';
import type { AuditRecord } from '../../domain/audit.ts';
import { de } from '../../i18n/catalogue.ts';
import { formatDate, locale, t, type MessageKey } from '../../i18n/index.svelte.ts';
import { auditItem, auditWhat, auditWhen, auditWho } from '../audit/auditText.ts';

/**
 * The client's copy of everything stored about them in one case on this device (GDPR Art. 15),
 * as one self-contained HTML file in the reader's language: every section and entry, removed
 * entries that are still stored, participants, consents and the audit trail. Every value is
 * escaped; the file has no scripts and loads nothing.
 */

export interface AccessReportInput {
  view: CaseView;
  /** Plain text of the Ausgangslage. */
  situation: string;
  audit: AuditRecord[];
  generatedAt: number;
}

const TIME_FIELDS = new Set(['createdAt', 'deletedAt', 'removedAt', 'resolvedAt', 'revokedAt', 'at', 'until', 'frozenAt', 'proposedAt']);
/** Technical sort keys only: they say nothing about the person. */
const SKIPPED = new Set(['order']);

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function has(key: string): key is MessageKey {
  return key in de;
}

function label(field: string): string {
  for (const key of [`audit.field.${field}`, `access.field.${field}`]) if (has(key)) return t(key);
  return field;
}

/** A readable value: names for ids, dates for instants, words for yes/no and known enums. */
function value(field: string, raw: unknown, view: CaseView): string {
  if (raw === undefined || raw === null || raw === '') return '–';
  if (typeof raw === 'boolean') return raw ? t('access.yes') : t('access.no');
  if (typeof raw === 'number' && TIME_FIELDS.has(field)) return formatDate(raw);
  if (typeof raw === 'string') {
    if (field === 'goalId') return view.goals.find((g) => g.id === raw)?.title || raw;
    if (field === 'partnerId') return view.partners.find((p) => p.id === raw)?.organisation || raw;
    if (field === 'participantId') return view.participants.find((p) => p.id === raw)?.name || raw;
    if (field === 'role' && has(`role.${raw}`)) return t(`role.${raw}` as MessageKey);
    if (field === 'domain' && has(`domain.${raw}`)) return t(`domain.${raw}` as MessageKey);
    return raw;
  }
  if (Array.isArray(raw)) return raw.map((v) => value(field, v, view)).join(', ') || '–';
  if (typeof raw === 'object') {
    const entries = Object.entries(raw as Record<string, unknown>);
    // Id sets (a goal's needs) map ids to `true`: list what the ids stand for.
    if (entries.every(([, v]) => v === true)) {
      return (
        entries
          .map(([id]) => {
            const need = view.assessment.find((a) => a.id === id);
            return need ? need.clientView || need.professionalView || id : id;
          })
          .join(', ') || '–'
      );
    }
    return JSON.stringify(raw);
  }
  return String(raw);
}

function entity(entry: Record<string, unknown>, n: number, view: CaseView): string {
  const rows = Object.entries(entry)
    .filter(([field]) => !SKIPPED.has(field))
    .map(([field, raw]) => `<tr><th scope="row">${escape(label(field))}</th><td>${escape(value(field, raw, view))}</td></tr>`);
  const scope = typeof entry['id'] === 'string' ? view.scopes[entry['id']] : undefined;
  if (scope && scope !== 'shared') rows.push(`<tr><th scope="row">${escape(t('access.visibility'))}</th><td>${escape(scope)}</td></tr>`);
  return `<section class="entry"><h4>${escape(t('access.entry', { n }))}</h4><table>${rows.join('')}</table></section>`;
}

function list(items: readonly object[], view: CaseView): string {
  if (items.length === 0) return `<p>${escape(t('access.none'))}</p>`;
  return items.map((item, i) => entity(item as Record<string, unknown>, i + 1, view)).join('');
}

function collection(name: CollectionName, view: CaseView, removed: boolean): string {
  const items = (removed ? view.removed[name] : view[name]) as object[];
  if (removed && items.length === 0) return '';
  const heading = has(`access.collection.${name}`) ? t(`access.collection.${name}` as MessageKey) : name;
  return `<section><h${removed ? 3 : 2}>${escape(heading)}</h${removed ? 3 : 2}>${list(items, view)}</section>`;
}

export function accessReportHtml({ view, situation, audit, generatedAt }: AccessReportInput): string {
  const name = view.meta?.displayName ?? '';
  const parts: string[] = [];
  parts.push(`<h1>${escape(t('access.title'))}</h1>`);
  parts.push(`<p>${escape(t('access.intro', { name }))}</p>`);
  parts.push(`<p>${escape(t('access.generated', { date: formatDate(generatedAt) }))}</p>`);
  parts.push(`<section><h2>${escape(t('access.section.case'))}</h2>${view.meta ? list([view.meta], view) : `<p>${escape(t('access.none'))}</p>`}</section>`);
  parts.push(`<section><h2>${escape(t('access.section.situation'))}</h2><p class="text">${escape(situation.trim() || '–')}</p></section>`);
  const domains = Object.entries(view.domains).map(
    ([domain, status]) => `<tr><th scope="row">${escape(value('domain', domain, view))}</th><td>${escape(value('status', status, view))}</td></tr>`,
  );
  parts.push(`<section><h2>${escape(t('access.section.domains'))}</h2><table>${domains.join('')}</table></section>`);
  for (const name of COLLECTION_NAMES) parts.push(collection(name, view, false));
  parts.push(`<section><h2>${escape(t('access.section.plan'))}</h2>${Object.keys(view.plan).length > 0 ? list([view.plan], view) : `<p>${escape(t('access.none'))}</p>`}</section>`);
  parts.push(`<section><h2>${escape(t('access.section.acceptances'))}</h2>${list(view.acceptances, view)}</section>`);
  parts.push(`<section><h2>${escape(t('access.section.removed'))}</h2>${COLLECTION_NAMES.map((n) => collection(n, view, true)).join('') || `<p>${escape(t('access.none'))}</p>`}</section>`);
  const trail = audit.map(
    (r) =>
      `<li>${escape(auditWhen(r))} – ${escape(auditWho(r, view))} – ${escape(auditItem(r, view))} – ${escape(auditWhat(r))}${r.verified ? '' : ` <strong>(${escape(t('audit.unconfirmed'))})</strong>`}</li>`,
  );
  parts.push(`<section><h2>${escape(t('access.section.audit'))}</h2>${trail.length ? `<ol>${trail.join('')}</ol>` : `<p>${escape(t('access.none'))}</p>`}</section>`);
  if (view.quarantine.length > 0) parts.push(`<section><h2>${escape(t('access.section.quarantine'))}</h2>${list(view.quarantine, view)}</section>`);
  const style =
    'body{font-family:system-ui,sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem}th,td{border:1px solid #bbb;padding:.2rem .4rem;text-align:left;vertical-align:top}th{width:35%;font-weight:600}td,.text{white-space:pre-wrap;overflow-wrap:anywhere}h4{margin:.5rem 0 .1rem}';
  return `<!doctype html>
<html lang="${locale()}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(`${t('access.title')} – ${name}`)}</title><style>${style}</style></head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

import { locale, t } from '../../../i18n/index.svelte.ts';
import type { ConsentTopic } from '../../../domain/consent.ts';

/** German topic names: the assessment domains' own names, plus the two topics of their own. */
export function topicLabel(topic: ConsentTopic): string {
  return topic === 'finanzielles' || topic === 'austausch' ? t(`consent.topic.${topic}`) : t(`domain.${topic}`);
}

// One formatter per language: making one costs more than a hundred dates formatted with it.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day (`YYYY-MM-DD`) as people read it, e.g. "1. März 2026". */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  const tag = locale() === 'de' ? 'de-DE' : 'en-GB';
  let format = dayFormats.get(tag);
  if (!format) dayFormats.set(tag, (format = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' })));
  return format.format(Date.UTC(y, m - 1, d));
}

/** "A, B und C" in the current language. */
export function listOf(items: readonly string[]): string {
  return new Intl.ListFormat(locale() === 'de' ? 'de-DE' : 'en-GB', { type: 'conjunction' }).format(items);
}

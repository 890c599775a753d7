import { locale } from '../../i18n/index.svelte.ts';

/** A calendar day (YYYY-MM-DD) as people write it: 15.01.2027 in German. */
export function formatDay(iso: string | undefined): string {
  if (!iso) return '–';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale() === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium' }).format(new Date(y!, m! - 1, d!));
}

/** An instant as a day, for signatures and version dates. */
export function formatInstantDay(ms: number): string {
  return new Intl.DateTimeFormat(locale() === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(ms);
}

export function formatEuro(amount: number): string {
  return new Intl.NumberFormat(locale() === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(amount);
}

/** The full hash in groups of four characters, so it can be read out and compared on paper. */
export function groupedHash(hash: string): string {
  return (hash.match(/.{1,4}/g) ?? []).join(' ');
}

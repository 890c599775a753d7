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

/**
 * The version's checksum as people compare it on paper and read it out: the first 16 bytes
 * of the SHA-256 hash (128 bits) as upper-case hex in 8 groups of four, e.g. "3F9A 12C4 …",
 * the same style as device identifiers (no easily confused letters like l/I or O/0 mixes).
 */
export function groupedHash(hash: string): string {
  let hex = '';
  try {
    const binary = atob(hash.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (hash.length % 4)) % 4));
    for (let i = 0; i < Math.min(16, binary.length); i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  } catch {
    return hash;
  }
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

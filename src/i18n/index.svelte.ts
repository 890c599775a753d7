import { de, en, type MessageKey } from './catalogue.ts';

export type Locale = 'de' | 'en';
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { de, en };
const STORAGE_KEY = 'runder-tisch.locale';

function initialLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

const current = $state<{ locale: Locale }>({ locale: initialLocale() });

export function locale(): Locale {
  return current.locale;
}

export function setLocale(next: Locale): void {
  current.locale = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current.locale][key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(current.locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

/** How the case dashboard writes days and months, in the user's language. */
export interface DashboardFormats {
  /** A calendar day (IsoDate) as it reads, without time zone shifts. */
  day: (iso: string) => string;
  /** An instant (ms) as its calendar day, in local time. */
  instant: (ms: number) => string;
  /** A month (YYYY-MM) with its year. */
  month: (ym: string) => string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Formatters for 500 rows at once. Intl formatting was most of the time to render the list
 * (a fraction of a millisecond per call, and about every case has different dates), so Intl
 * formats each month once and a day takes its month's parts with its own day number.
 */
export function dashboardFormats(locale: 'de' | 'en'): DashboardFormats {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  const dayFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const monthFormat = new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric' });
  const monthParts = new Map<string, Intl.DateTimeFormatPart[]>();
  const texts = new Map<string, string>();

  function dayText(year: number, month: number, day: number): string {
    const key = `${year}-${pad(month)}-${pad(day)}`;
    let text = texts.get(key);
    if (text !== undefined) return text;
    const monthKey = key.slice(0, 7);
    let parts = monthParts.get(monthKey);
    if (!parts) monthParts.set(monthKey, (parts = dayFormat.formatToParts(new Date(year, month - 1, 1))));
    // The 1st shows whether this language writes the day with two digits ("01.") or one ("1 ").
    text = parts.map((p) => (p.type === 'day' ? (p.value.length === 2 ? pad(day) : String(day)) : p.value)).join('');
    texts.set(key, text);
    return text;
  }

  return {
    day: (iso) => dayText(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))),
    instant: (ms) => {
      const d = new Date(ms);
      return dayText(d.getFullYear(), d.getMonth() + 1, d.getDate());
    },
    month: (ym) => {
      let text = texts.get(ym);
      if (text === undefined) texts.set(ym, (text = monthFormat.format(new Date(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)) - 1, 1))));
      return text;
    },
  };
}

import { z } from 'zod';

/** A calendar day (no time, no zone): due dates and review dates are days, not instants. */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;

/** Birth month only: the product needs the 25th birthday, not the exact birth date. */
export const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
export type YearMonth = z.infer<typeof YearMonth>;

/** An instant as milliseconds since the epoch (creation and change times). */
export const Timestamp = z.number().int().nonnegative();

/** The calendar day of `date` in local time, as the people at the table see it. */
export function isoDay(date: Date): IsoDate {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

import type { CloseDateFormat } from '../config.js';

/**
 * `close_date` comes as text in the account's locale. `M/D/YYYY` and `D/M/YYYY` cannot be told
 * apart (3/4/2020), so CLOSE_DATE_FORMAT decides how slashed dates read; `YYYY-MM-DD` is
 * unambiguous and accepted whatever the setting. Returns `YYYY-MM-DD`, or null for anything
 * else (free text, two-digit years, a day that does not exist such as 2/30): never throws.
 */
export function parseCloseDate(value: unknown, format: CloseDateFormat): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!slashed || format === 'ISO') return null;
  const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
  return format === 'MDY' ? calendarDate(year, first, second) : calendarDate(year, second, first);
}

function calendarDate(year: number, month: number, day: number): string | null {
  // DATE columns hold years 1000 to 9999 on MySQL.
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A DATETIME as a raw query returns it, in whole epoch seconds: a Date from mysql2, UTC text
 * (`2026-12-01 10:00:00`, maybe with milliseconds) from SQLite; null for NULL or anything else.
 */
export function storedSeconds(value: unknown): number | null {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(`${value.replace(' ', 'T')}Z`) : NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1_000);
}

/**
 * @file The kinds of value a setting can hold. A kind parses one trimmed, non-empty variable and
 * either accepts it or says what it expected; it never sees the variable's name, so the loader
 * alone decides how a refused value is shown (secrets masked).
 */
import cron from 'node-cron';

export type Parsed<T> =
  | { ok: true; value: T }
  /** `got` replaces the raw value in the message (e.g. shortened or normalised). */
  | { ok: false; expected: string; got?: string }
  /** Problems that are not one "expected X" (a JSON document with several wrong entries). */
  | { ok: false; messages: readonly string[] };

export interface Kind<T> {
  /** The README's type column. */
  readonly type: string;
  parse(raw: string): Parsed<T>;
  /** A value as the README's default column shows it. */
  format(value: T): string;
}

const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refuse = <T>(expected: string, got?: string): Parsed<T> => ({ ok: false, expected, got });

/** A kind with its own parser; `format` defaults to String(). */
export function custom<T>(type: string, parse: (raw: string) => Parsed<T>, format: (value: T) => string = String): Kind<T> {
  return { type, parse, format };
}

export function integer(min: number, max: number): Kind<number> {
  return custom(`integer, ${min} to ${max}`, (raw) => {
    const n = Number(raw);
    return /^-?\d+$/.test(raw) && n >= min && n <= max ? accept(n) : refuse(`an integer from ${min} to ${max}`);
  });
}

export function number(min: number, max: number): Kind<number> {
  return custom(`number, ${min} to ${max}`, (raw) => {
    const n = Number(raw);
    return Number.isFinite(n) && n >= min && n <= max ? accept(n) : refuse(`a number from ${min} to ${max}`);
  });
}

export const boolean: Kind<boolean> = custom('boolean', (raw) => {
  const value = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return accept(true);
  if (['0', 'false', 'no', 'off'].includes(value)) return accept(false);
  return refuse('true or false', value);
});

/** Matched without regard to case; the value is the spelling listed. */
export function oneOf<T extends string>(allowed: readonly T[]): Kind<T> {
  return custom(`one of ${allowed.map((a) => `\`${a}\``).join(', ')}`, (raw) => {
    const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    return match ? accept(match) : refuse(`one of ${allowed.join(', ')}`);
  });
}

export const text: Kind<string> = custom('string', accept);

/** Comma-separated; blanks between commas are dropped. */
export const list: Kind<string[]> = custom(
  'comma-separated list',
  (raw) => accept(raw.split(',').map((s) => s.trim()).filter(Boolean)),
  (value) => value.join(','),
);

export const email: Kind<string> = custom('email address', (raw) => (/^[^@\s]+@[^@\s]+$/.test(raw) ? accept(raw) : refuse('an email address')));

/** http(s) only; trailing slashes are dropped, so paths can be appended as `/people/search`. */
export const httpUrl: Kind<string> = custom('http(s) URL', (raw) => {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return accept(raw.replace(/\/+$/, ''));
  } catch {
    // refused below
  }
  return refuse('an http:// or https:// URL');
});

export const headerName: Kind<string> = custom('HTTP header name', (raw) =>
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(raw) ? accept(raw) : refuse('an HTTP header name (letters, digits and -_.)'),
);

export const jsonHeaders: Kind<Record<string, string>> = custom(
  'JSON object of strings',
  (raw) => {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) {
        return accept(parsed as Record<string, string>);
      }
    } catch {
      // refused below
    }
    return refuse('a JSON object of header names to string values, e.g. {"X-PW-Application":"developer_api"}');
  },
  (value) => JSON.stringify(value),
);

/** A cron expression, or `off` (null) for none. */
export const schedule: Kind<string | null> = custom(
  'cron or `off`',
  (raw) => {
    if (raw.toLowerCase() === 'off') return accept(null);
    return cron.validate(raw) ? accept(raw) : refuse('a cron expression such as "*/15 * * * *", or "off"');
  },
  (value) => value ?? 'off',
);

import type { CloseDateFormat } from '../config.js';
import type { FieldKind, MirrorFieldSpec } from '../entities/mirror-column.js';
import { STRING_COLUMN_LENGTH } from '../entities/mirror-column.js';
import { parseCloseDate } from './close-date.js';

/**
 * One coercion per field kind: the value upstream sent → the value for its typed column, or
 * null when it does not fit (wrong type, out of the column's range). Never throws: `raw` keeps
 * the value as received, so nothing is lost by a null here.
 *
 * Numeric kinds (id, integer, decimal, timestamp) take a JSON number or a canonical numeric
 * string: loosely typed serialisers quote numbers, and the quoted value means the same thing.
 */
export type Coercion = (value: unknown, context: CoercionContext) => unknown;

export interface CoercionContext {
  field: MirrorFieldSpec;
  closeDateFormat: CloseDateFormat;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const BIGINT_MAX = 9_223_372_036_854_775_807n;
/** DECIMAL(20,4) holds 16 integer digits. */
const DECIMAL_LIMIT = 1e16;
/** DATETIME's range on MySQL, 1000-01-01 to 9999-12-31 23:59:59, in epoch seconds. */
const DATETIME_MIN = -30_610_224_000;
const DATETIME_MAX = 253_402_300_799;
/** MEDIUMTEXT holds 16 MiB of UTF-8. */
const TEXT_MAX_BYTES = 16 * 1024 * 1024 - 1;

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function numeric(value: unknown, pattern: RegExp): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && pattern.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * An upstream id → its decimal string (BIGINT columns, read back as strings so 64 bits survive).
 * Positive only; a number must be a safe integer (JSON.parse has already rounded a larger one).
 */
export function coerceId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value.trim())) return null;
  const id = BigInt(value.trim());
  return id > 0n && id <= BIGINT_MAX ? id.toString() : null;
}

export const COERCIONS: Record<FieldKind, Coercion> = {
  id: (value) => coerceId(value),
  integer: (value) => {
    const n = numeric(value, INTEGER_TEXT);
    return n !== null && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX ? n : null;
  },
  // Length in characters (code points), as VARCHAR(255) counts them on MySQL.
  string: (value) => (typeof value === 'string' && fitsVarchar(value) ? value : null),
  text: (value) => (typeof value === 'string' && Buffer.byteLength(value) <= TEXT_MAX_BYTES ? value : null),
  // Epoch seconds, never guessed to be milliseconds (a millisecond value lies past year 9999 and
  // becomes null); fractions are dropped, as DATETIME keeps none.
  timestamp: (value) => {
    const seconds = numeric(value, DECIMAL_TEXT);
    if (seconds === null || seconds < DATETIME_MIN || seconds > DATETIME_MAX) return null;
    return new Date(Math.floor(seconds) * 1_000);
  },
  decimal: (value) => {
    const n = numeric(value, DECIMAL_TEXT);
    return n !== null && Math.abs(n) < DECIMAL_LIMIT ? n : null;
  },
  date: (value, context) => parseCloseDate(value, context.closeDateFormat),
  json: (value, context) => {
    if (value === undefined || value === null) return null;
    const schema = context.field.schema;
    if (!schema) return typeof value === 'object' ? value : null;
    return schema.safeParse(value).success ? value : null;
  },
};

function fitsVarchar(text: string): boolean {
  // 255 UTF-16 units or fewer are 255 code points or fewer: the common case needs no count.
  if (text.length <= STRING_COLUMN_LENGTH) return true;
  let count = 0;
  for (const _ of text) if (++count > STRING_COLUMN_LENGTH) return false;
  return true;
}

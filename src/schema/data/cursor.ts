import type { MirroredRecord } from '../../entities/index.js';
import { badInput } from '../errors.js';
import type { QueryField } from '../model/query-fields.js';
import { valueAt } from '../model/value-at.js';
import { isIntegerId } from './table.js';
import { orderSignature, type SortKey } from './order.sql.js';

/**
 * Opaque, stable cursors: base64url of JSON `[orderSignature, ...sortKeyValues]`, the values
 * read from the node itself (id last). Never an offset, so inserts and deletes do not shift pages.
 */
export function encodeCursor(keys: readonly SortKey[], node: MirroredRecord): string {
  return encodeCursorValues(
    keys,
    keys.map((k) => {
      const value = valueAt(node, k.field.path);
      return value instanceof Date ? value.toISOString() : (value ?? null);
    }),
  );
}

/** A cursor from the sort-key values as JSON has them (timestamps as ISO strings); the compiled SQL path reads them so. */
export const encodeCursorValues = (keys: readonly SortKey[], values: readonly unknown[]): string =>
  Buffer.from(JSON.stringify([orderSignature(keys), ...values])).toString('base64url');

/** The sort-key values of a cursor; a malformed cursor, or one from another orderBy, is a client error. */
export function decodeCursor(keys: readonly SortKey[], cursor: string, argument: string): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(`${argument}: not a cursor from this API`);
  }
  if (!Array.isArray(decoded) || decoded.length !== keys.length + 1 || typeof decoded[0] !== 'string') {
    throw badInput(`${argument}: not a cursor from this API`);
  }
  if (decoded[0] !== orderSignature(keys)) throw badInput(`${argument}: the cursor belongs to a different orderBy`);
  const values = decoded.slice(1);
  keys.forEach((k, i) => {
    if (!fits(k.field, values[i])) throw badInput(`${argument}: not a cursor from this API`);
  });
  return values;
}

function fits(field: QueryField, value: unknown): boolean {
  if (value === null) return !field.primaryKey;
  switch (field.kind) {
    case 'id':
      return typeof value === 'string' && isIntegerId(value);
    case 'integer':
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value);
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    default:
      return typeof value === 'string';
  }
}

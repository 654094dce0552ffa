import { join, raw, sql, type Sql } from '../data/sql.js';
import type { Table } from '../data/table.js';

/**
 * The pieces of MariaDB JSON the compiler writes. Keys (response names, which clients choose)
 * are bound parameters like every value; MariaDB keeps JSON built by a JSON function or read
 * from a JSON column as JSON when it is nested, so subqueries compose without re-parsing.
 */

export function jsonObject(entries: readonly (readonly [string, Sql])[]): Sql {
  return entries.length === 0 ? raw('JSON_OBJECT()') : sql`JSON_OBJECT(${join(entries.map(([key, value]) => sql`${key}, ${value}`), ', ')})`;
}

export const jsonArray = (items: readonly Sql[]): Sql => sql`JSON_ARRAY(${join(items, ', ')})`;

/** The ISO form GraphQL's DateTimeISO gives (`toISOString()`): the columns hold whole seconds, in UTC. */
const ISO_TIMESTAMP = "'%Y-%m-%dT%H:%i:%s.000Z'";

/**
 * A column as its GraphQL value: ids as strings (64 bits survive JSON), timestamps in ISO form,
 * everything else as the column holds it (JSON columns as JSON, DATE as `YYYY-MM-DD`, DECIMAL
 * as a number).
 */
export function columnValue(table: Table, alias: string, path: string): Sql {
  const ref = table.ref(alias, path);
  switch (table.column(path).type) {
    case 'bigint':
      return sql`CAST(${ref} AS CHAR)`;
    case 'datetime':
      return sql`DATE_FORMAT(${ref}, ${raw(ISO_TIMESTAMP)})`;
    default:
      return ref;
  }
}

/** A to-many page: `[]` for no rows, so that NULL can only mean a JSON value too large for the server (see the compiler). */
export const arrayAgg = (element: Sql, order: Sql, limit: number): Sql =>
  sql`IF(COUNT(*) = 0, JSON_ARRAY(), JSON_ARRAYAGG(${element} ORDER BY ${order} LIMIT ${raw(String(limit))}))`;

import { badInput } from '../errors.js';
import { isSortable, type QueryField } from '../model/query-fields.js';
import type { ResourceModel } from '../model/resource-models.js';
import { SortDirection, type OrderByInput } from '../types/order-by.input.js';
import { and, FALSE, join, or, raw, sql, type Sql } from './sql.js';
import type { Table } from './table.js';

/**
 * Sort keys and keyset conditions. NULL sorts lowest on both MySQL/MariaDB and SQLite (first
 * ascending, last descending), and the keyset conditions below follow the same rule, so a
 * page boundary inside a run of nulls or of equal values loses and repeats nothing.
 */
export interface SortKey {
  readonly field: QueryField;
  readonly descending: boolean;
}

export const MAX_SORT_KEYS = 5;

/** The requested keys, duplicates dropped, then `id` ascending unless it is already a key. */
export function sortKeysOf(model: ResourceModel, orderBy: readonly OrderByInput[] | null | undefined): SortKey[] {
  const keys: SortKey[] = [];
  for (const item of orderBy ?? []) {
    const field = model.fieldByPath.get(item.field);
    if (!field || !isSortable(field)) throw badInput(`orderBy: ${item.field} is not sortable`);
    if (!keys.some((k) => k.field === field)) keys.push({ field, descending: item.direction === SortDirection.DESC });
  }
  if (keys.length > MAX_SORT_KEYS) throw badInput(`orderBy: at most ${MAX_SORT_KEYS} keys`);
  if (!keys.some((k) => k.field.primaryKey)) keys.push({ field: model.fieldByPath.get('id')!, descending: false });
  return keys;
}

/** Identifies an ordering inside a cursor, so a cursor cannot be replayed under another one. */
export const orderSignature = (keys: readonly SortKey[]): string =>
  keys.map((k) => `${k.field.enumName}${k.descending ? '-' : '+'}`).join(',');

export function orderByClause(table: Table, alias: string, keys: readonly SortKey[], reverse: boolean): Sql {
  return join(
    keys.map((k) => raw(`${table.ref(alias, k.field.path).text} ${k.descending !== reverse ? 'DESC' : 'ASC'}`)),
    ', ',
  );
}

/** Rows strictly after (or before) the cursor position in the order of `keys`. */
export function keysetCondition(
  table: Table,
  alias: string,
  keys: readonly SortKey[],
  values: readonly unknown[],
  side: 'after' | 'before',
): Sql {
  const branches: Sql[] = [];
  for (let i = 0; i < keys.length; i++) {
    const equalBefore = keys.slice(0, i).map((k, j) => equalTo(table, alias, k, values[j]));
    const descending = keys[i].descending !== (side === 'before');
    branches.push(and([...equalBefore, beyond(table, alias, keys[i], values[i], descending)]));
  }
  return or(branches);
}

function equalTo(table: Table, alias: string, key: SortKey, value: unknown): Sql {
  const column = table.ref(alias, key.field.path);
  return value === null ? sql`${column} IS NULL` : sql`${column} = ${table.param(key.field.path, value)}`;
}

/** Strictly further along than `value` when walking in the given direction (nulls lowest). */
function beyond(table: Table, alias: string, key: SortKey, value: unknown, descending: boolean): Sql {
  const column = table.ref(alias, key.field.path);
  if (value === null) return descending ? FALSE : sql`${column} IS NOT NULL`;
  const param = table.param(key.field.path, value);
  return descending ? sql`(${column} < ${param} OR ${column} IS NULL)` : sql`${column} > ${param}`;
}


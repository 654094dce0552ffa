import type { DataSource } from 'typeorm';
import type { Access } from '../access/access.js';
import { badInput } from '../errors.js';
import type { QueryField } from '../model/query-fields.js';
import { whereEntriesOf } from '../model/where-entries.js';
import type { FilterOperator, ScalarFilter } from '../types/scalar-filter.input.js';
import type { WhereInput } from '../types/where.input.js';
import { and, FALSE, not, or, params, raw, sql, TRUE, type Sql } from './sql.js';
import { tableOf, type Table } from './table.js';

/**
 * Compiles a `where` input to a SQL condition. Every leaf is two-valued (never UNKNOWN on
 * NULL), so NOT means "does not hold" and `ne`/`notIn` match rows where the field is null.
 * Values are bound parameters; LIKE patterns escape `%`, `_` and the escape character.
 */
export const MAX_IN_VALUES = 1000;
export const MAX_WHERE_DEPTH = 10;
export const MAX_WHERE_CONDITIONS = 500;
/** Bound parameters one filter may bind: an `in` list counts each of its values. */
export const MAX_WHERE_VALUES = 5000;

export class WhereScope {
  private aliasCount = 0;
  private conditions = 0;
  private values = 0;
  constructor(
    readonly dataSource: DataSource,
    /** Filtering by a field the caller may not read is refused (see access.ts). */
    readonly access: Access,
  ) {}

  nextAlias(): string {
    return `w${++this.aliasCount}`;
  }

  countCondition(): void {
    if (++this.conditions > MAX_WHERE_CONDITIONS) throw badInput(`where: more than ${MAX_WHERE_CONDITIONS} conditions`);
  }

  countValues(n: number): void {
    this.values += n;
    if (this.values > MAX_WHERE_VALUES) throw badInput(`where: more than ${MAX_WHERE_VALUES} values in all (each value of an in/notIn list counts)`);
  }
}

const LIKE_ESCAPE = '!';
const escapeLike = (text: string): string => text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);

/** `(col IS NOT NULL AND <condition>)`: false rather than unknown when the column is null. */
const known = (column: Sql, condition: Sql): Sql => sql`(${column} IS NOT NULL AND ${condition})`;

function list(field: QueryField, op: FilterOperator, value: unknown): readonly unknown[] {
  const values = value as readonly unknown[];
  if (values.length > MAX_IN_VALUES) throw badInput(`${field.flatName}.${op}: at most ${MAX_IN_VALUES} values, got ${values.length}`);
  return values;
}

/**
 * GraphQL's Float accepts a literal such as `1e309`, which parses to Infinity; SQL has no such
 * number (mysql2 would paste `Infinity` into the statement as a column name).
 */
function finite(field: QueryField, op: FilterOperator, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw badInput(`${field.flatName}.${op}: expected a finite number, got ${value}`);
  return value;
}

function operatorCondition(table: Table, column: Sql, field: QueryField, op: FilterOperator, value: unknown, scope: WhereScope): Sql {
  if (value === undefined) return TRUE;
  if (op === 'isNull') return value === null ? TRUE : raw(`${column.text} IS ${value ? '' : 'NOT '}NULL`);
  if (op === 'eq' && value === null) return raw(`${column.text} IS NULL`);
  if (op === 'ne' && value === null) return raw(`${column.text} IS NOT NULL`);
  if (value === null) throw badInput(`${field.flatName}.${op}: null is not a value here (use isNull)`);
  const p = (v: unknown) => table.param(field.path, finite(field, op, v));
  scope.countValues(Array.isArray(value) ? value.length : 1);
  switch (op) {
    case 'eq':
      return known(column, sql`${column} = ${p(value)}`);
    case 'ne':
      return sql`(${column} IS NULL OR ${column} <> ${p(value)})`;
    case 'in': {
      const values = list(field, op, value);
      return values.length === 0 ? FALSE : known(column, sql`${column} IN (${params(values.map(p))})`);
    }
    case 'notIn': {
      const values = list(field, op, value);
      return values.length === 0 ? TRUE : sql`(${column} IS NULL OR ${column} NOT IN (${params(values.map(p))}))`;
    }
    case 'lt':
      return known(column, sql`${column} < ${p(value)}`);
    case 'lte':
      return known(column, sql`${column} <= ${p(value)}`);
    case 'gt':
      return known(column, sql`${column} > ${p(value)}`);
    case 'gte':
      return known(column, sql`${column} >= ${p(value)}`);
    case 'contains':
      return known(column, sql`${column} LIKE ${`%${escapeLike(String(value))}%`} ESCAPE '${raw(LIKE_ESCAPE)}'`);
    case 'startsWith':
      return known(column, sql`${column} LIKE ${`${escapeLike(String(value))}%`} ESCAPE '${raw(LIKE_ESCAPE)}'`);
  }
}

function fieldCondition(table: Table, alias: string, field: QueryField, filter: ScalarFilter | null, scope: WhereScope): Sql {
  if (!filter) return TRUE;
  scope.access.requireQueryable(table.model, field, 'filtering');
  const column = table.ref(alias, field.path);
  return and(
    Object.entries(filter).map(([op, value]) => {
      scope.countCondition();
      return operatorCondition(table, column, field, op as FilterOperator, value, scope);
    }),
  );
}

/** `<alias>.deleted_at IS NULL` unless deleted rows are asked for. */
export function liveCondition(table: Table, alias: string, includeDeleted: boolean | null | undefined): Sql {
  return includeDeleted ? TRUE : sql`${table.ref(alias, 'deletedAt')} IS NULL`;
}

export function compileWhere(table: Table, alias: string, where: WhereInput | null | undefined, scope: WhereScope, depth = 0): Sql {
  if (!where) return TRUE;
  if (depth > MAX_WHERE_DEPTH) throw badInput(`where: nested more than ${MAX_WHERE_DEPTH} levels`);
  const nested = (w: WhereInput | null | undefined) => compileWhere(table, alias, w, scope, depth + 1);
  const parts: Sql[] = [];
  if (where.AND) parts.push(and(where.AND.map(nested)));
  if (where.OR) parts.push(or(where.OR.map(nested)));
  if (where.NOT) parts.push(not(nested(where.NOT)));
  for (const entry of whereEntriesOf(table.model)) {
    const value = where[entry.key];
    if (value === undefined || value === null) continue;
    if (entry.kind === 'field') {
      parts.push(fieldCondition(table, alias, entry.field, value as ScalarFilter, scope));
    } else if (entry.kind === 'embedded') {
      const inner = value as Record<string, ScalarFilter | null>;
      for (const field of entry.fields) parts.push(fieldCondition(table, alias, field, inner[field.property] ?? null, scope));
    } else {
      scope.access.requireRead(entry.relation.target);
      const target = tableOf(scope.dataSource, entry.relation.target);
      const a = scope.nextAlias();
      const ea = raw(target.escape(a));
      const condition = and([
        sql`${target.ref(a, 'id')} = ${table.ref(alias, entry.relation.foreignKey)}`,
        liveCondition(target, a, false),
        compileWhere(target, a, value as WhereInput, scope, depth + 1),
      ]);
      parts.push(sql`EXISTS (SELECT 1 FROM ${target.name} ${ea} WHERE ${condition})`);
    }
  }
  return and(parts);
}

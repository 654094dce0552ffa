import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { ResourceName } from '../../resources/resource-table.js';
import { badInput } from '../errors.js';
import { isGroupable, isNumeric, type QueryField } from '../model/query-fields.js';
import { relatedGroupKey } from '../model/related-group-keys.js';
import type { StatsAggregate, StatsSelection } from '../model/stats-selection.js';
import type { StatsArgs, StatsGroup } from '../types/stats.type.js';
import { filterCondition, fromTable } from './list.query.js';
import { checkPageSize, type PageLimits } from './page-request.js';
import { run, type ReadDatabase } from './run.js';
import { join, raw, sql, type Sql } from './sql.js';
import { tableOf, type Table } from './table.js';

export type { StatsSelection } from '../model/stats-selection.js';

const T = 't';
const number = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const ALL: ReadonlySet<StatsAggregate> = new Set(['sum', 'avg', 'min', 'max']);

/** A numeric field to aggregate and the SQL aggregates its asked values need. */
interface Aggregated {
  field: QueryField;
  asked: ReadonlySet<StatsAggregate>;
  /** SUM for sum and avg, COUNT(col) for avg, MIN, MAX. */
  sum: boolean;
  count: boolean;
  min: boolean;
  max: boolean;
}

function aggregatedFields(table: Table, wanted: StatsSelection | undefined): Aggregated[] {
  const numeric = table.model.fields.filter(isNumeric);
  if (wanted) {
    for (const path of wanted.fields.keys()) {
      if (!numeric.some((f) => f.path === path)) throw new Error(`${table.model.typeName} has no numeric field ${path} to aggregate`);
    }
  }
  return numeric.flatMap((field) => {
    const asked = wanted ? wanted.fields.get(field.path) : ALL;
    if (!asked) return [];
    return [{ field, asked, sum: asked.has('sum') || asked.has('avg'), count: asked.has('avg'), min: asked.has('min'), max: asked.has('max') }];
  });
}

const isMySql = (db: ReadDatabase): boolean => db.dataSource.options.type === 'mysql' || db.dataSource.options.type === 'mariadb';

/**
 * MySQL/MariaDB index hints for a stats statement. `deleted_at IS NULL` makes the optimizer read
 * through an index on deleted_at even though nearly every row is live: a secondary-index range
 * over the whole table plus a primary-key lookup per row, slower than scanning the table (25,000
 * opportunities: 48 ms against 25 ms). Such an index is ignored unless it holds every column the
 * statement reads (then it is the cheapest way in: an index-only scan, 9 ms). A `where` may read
 * any column, so with one no index on deleted_at counts as covering. See BENCHMARKS.md.
 */
function indexHints(table: Table, args: StatsArgs, columns: readonly string[]): Sql {
  const deletedAt = table.column('deletedAt').databaseName;
  const filtered = args.where !== null && args.where !== undefined && Object.values(args.where).some((v) => v !== undefined);
  const needed = new Set(columns);
  if (!args.includeDeleted) needed.add(deletedAt);
  const ignored = table.metadata.indices.filter((index) => {
    const indexed = index.columns.map((c) => c.databaseName);
    // Only an index that starts with deleted_at gives the optimizer that range.
    if (indexed[0] !== deletedAt) return false;
    return filtered || ![...needed].every((c) => indexed.includes(c));
  });
  return ignored.length ? raw(` IGNORE INDEX (${ignored.map((i) => table.escape(i.name!)).join(', ')})`) : raw('');
}

/** A group key as the statement reads it: an own column, or a reference's name through a LEFT JOIN. */
interface GroupColumn {
  readonly flatName: string;
  readonly select: Sql;
  readonly ref: Sql;
  /** Hydrates the key as the column's type. */
  readonly column: ColumnMetadata;
  /** The owner's column it reads (for the index hints): the key's own, or the foreign key it joins on. */
  readonly ownColumn: string;
  readonly join?: Sql;
}

function groupColumn(db: ReadDatabase, table: Table, path: string, i: number): GroupColumn {
  const related = relatedGroupKey(table.model, path);
  if (related) {
    // Records whose key points at no live row form the group of nulls, as an unset key does.
    const target = tableOf(db.dataSource, related.target.name);
    const alias = `g${i}`;
    return {
      flatName: related.flatName,
      select: target.selectExpression(alias, related.field.path),
      ref: target.ref(alias, related.field.path),
      column: target.column(related.field.path),
      ownColumn: table.column(related.relation.foreignKey).databaseName,
      join: sql` LEFT JOIN ${target.name} ${raw(target.escape(alias))} ON ${target.ref(alias, 'id')} = ${table.ref(T, related.relation.foreignKey)} AND ${target.ref(alias, 'deletedAt')} IS NULL`,
    };
  }
  const field = table.model.fieldByPath.get(path);
  if (!field || !isGroupable(field)) throw badInput(`groupBy: ${JSON.stringify(path.slice(0, 80))} is not a groupable field of ${table.model.typeName}`);
  return { flatName: field.flatName, select: table.selectExpression(T, path), ref: table.ref(T, path), column: table.column(path), ownColumn: table.column(path).databaseName };
}

/**
 * Groups and their count, plus the asked aggregates of the asked numeric fields (every
 * aggregate of every numeric field without `wanted`), in ONE statement. Largest groups first
 * (ties by key), at most `first` groups. A group's numeric fields hold only the asked aggregates.
 */
export async function fetchStats(db: ReadDatabase, resource: ResourceName, args: StatsArgs, limits: PageLimits, wanted?: StatsSelection): Promise<StatsGroup[]> {
  const { dataSource } = db;
  checkPageSize('first', args.first, limits);
  const table = tableOf(dataSource, resource);
  const groupBy = [...new Set(args.groupBy)].map((path, i) => groupColumn(db, table, path, i));
  const aggregated = aggregatedFields(table, wanted);
  const name = (prefix: string, i: number) => raw(table.escape(`${prefix}${i}`));
  const select: Sql[] = [
    ...groupBy.map((g, i) => sql`${g.select} AS ${name('k', i)}`),
    // Always: the groups are ordered by it.
    sql`COUNT(*) AS ${raw(table.escape('n'))}`,
    ...aggregated.flatMap((a, i) => {
      const c = table.ref(T, a.field.path);
      return [
        ...(a.sum ? [sql`SUM(${c}) AS ${name('sum', i)}`] : []),
        ...(a.count ? [sql`COUNT(${c}) AS ${name('cnt', i)}`] : []),
        ...(a.min ? [sql`MIN(${c}) AS ${name('min', i)}`] : []),
        ...(a.max ? [sql`MAX(${c}) AS ${name('max', i)}`] : []),
      ];
    }),
  ];
  const keys = join(groupBy.map((g) => g.ref), ', ');
  const grouping = groupBy.length ? sql` GROUP BY ${keys} ORDER BY ${raw(table.escape('n'))} DESC, ${keys}` : raw('');
  const read = [...groupBy.map((g) => g.ownColumn), ...aggregated.map((a) => table.column(a.field.path).databaseName)];
  const joins = groupBy.flatMap((g) => (g.join ? [g.join] : []));
  // MySQL and MariaDB syntax; SQLite is left to its planner.
  const hints = isMySql(db) ? indexHints(table, args, read) : raw('');
  const rows = await run(
    db,
    sql`SELECT ${join(select, ', ')} FROM ${fromTable(table)}${hints}${join(joins, '')} WHERE ${filterCondition(db, table, args)}${grouping} LIMIT ${args.first ?? limits.maxPageSize}`,
  );
  return rows.map((row) => {
    const group: StatsGroup = {
      key: Object.fromEntries(groupBy.map((g, i) => [g.flatName, dataSource.driver.prepareHydratedValue(row[`k${i}`], g.column)])),
      count: Number(row.n),
    };
    aggregated.forEach((a, i) => {
      const stats: Partial<Record<StatsAggregate, number | null>> = {};
      const sum = a.sum ? number(row[`sum${i}`]) : null;
      if (a.asked.has('sum')) stats.sum = sum;
      if (a.asked.has('avg')) {
        // avg from the exact SUM: MySQL's AVG() rounds to 4 decimals (div_precision_increment).
        const present = Number(row[`cnt${i}`]);
        stats.avg = sum === null || present === 0 ? null : sum / present;
      }
      if (a.min) stats.min = number(row[`min${i}`]);
      if (a.max) stats.max = number(row[`max${i}`]);
      group[a.field.flatName] = stats;
    });
    return group;
  });
}

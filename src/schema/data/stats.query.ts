import type { ResourceName } from '../../sync/resources.js';
import { badInput } from '../errors.js';
import { isGroupable, isNumeric } from '../model/query-fields.js';
import type { StatsArgs, StatsGroup } from '../types/stats.type.js';
import { filterCondition, fromTable } from './list.query.js';
import { checkPageSize, type PageLimits } from './page-request.js';
import { run, type ReadDatabase } from './run.js';
import { join, raw, sql, type Sql } from './sql.js';
import { tableOf } from './table.js';

const T = 't';
const number = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Groups and their count, plus sum/avg/min/max of every numeric field, in ONE statement.
 * Largest groups first (ties by key), at most `first` groups.
 */
export async function fetchStats(db: ReadDatabase, resource: ResourceName, args: StatsArgs, limits: PageLimits): Promise<StatsGroup[]> {
  const { dataSource } = db;
  checkPageSize('first', args.first, limits);
  const table = tableOf(dataSource, resource);
  const groupBy = [...new Set(args.groupBy)].map((path) => table.field(path));
  if (groupBy.some((f) => !isGroupable(f))) throw badInput('groupBy: not a groupable field');
  const numeric = table.model.fields.filter(isNumeric);
  const name = (prefix: string, i: number) => raw(table.escape(`${prefix}${i}`));
  const select: Sql[] = [
    ...groupBy.map((f, i) => sql`${table.selectExpression(T, f.path)} AS ${name('k', i)}`),
    sql`COUNT(*) AS ${raw(table.escape('n'))}`,
    ...numeric.flatMap((f, i) => {
      const c = table.ref(T, f.path);
      return [sql`SUM(${c}) AS ${name('sum', i)}`, sql`COUNT(${c}) AS ${name('cnt', i)}`, sql`MIN(${c}) AS ${name('min', i)}`, sql`MAX(${c}) AS ${name('max', i)}`];
    }),
  ];
  const keys = join(groupBy.map((f) => table.ref(T, f.path)), ', ');
  const grouping = groupBy.length ? sql` GROUP BY ${keys} ORDER BY ${raw(table.escape('n'))} DESC, ${keys}` : raw('');
  const rows = await run(
    db,
    sql`SELECT ${join(select, ', ')} FROM ${fromTable(table)} WHERE ${filterCondition(db, table, args)}${grouping} LIMIT ${args.first ?? limits.maxPageSize}`,
  );
  return rows.map((row) => {
    const group: StatsGroup = {
      key: Object.fromEntries(groupBy.map((f, i) => [f.flatName, dataSource.driver.prepareHydratedValue(row[`k${i}`], table.column(f.path))])),
      count: Number(row.n),
    };
    numeric.forEach((f, i) => {
      const [sum, present] = [number(row[`sum${i}`]), Number(row[`cnt${i}`])];
      // avg from the exact SUM: MySQL's AVG() rounds to 4 decimals (div_precision_increment).
      group[f.flatName] = { sum, avg: sum === null || present === 0 ? null : sum / present, min: number(row[`min${i}`]), max: number(row[`max${i}`]) };
    });
    return group;
  });
}

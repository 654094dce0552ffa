import type { MirroredRecord } from '../../entities/index.js';
import type { Projection } from '../model/projection.js';
import type { ToManyRelation } from '../model/relations.js';
import type { ListArgs } from '../types/list-args.js';
import { cursorCondition, filterCondition, fromTable } from './list.query.js';
import { orderByClause } from './order.sql.js';
import { sortKeyPaths, type PageRequest } from './page-request.js';
import { run, type ReadDatabase } from './run.js';
import { and, params, raw, sql, TRUE, type Sql } from './sql.js';
import { idParam, tableOf, type Table } from './table.js';

const T = 't';

/** `fk IN (parents)`, plus the relation's scope (a polymorphic key's type). */
function parentCondition(table: Table, relation: ToManyRelation, parentIds: readonly string[]): Sql {
  return and([
    sql`${table.ref(T, relation.foreignKey)} IN (${params(parentIds.map((id) => idParam(id)))})`,
    relation.scope ? sql`${table.ref(T, relation.scope.path)} = ${relation.scope.value}` : TRUE,
  ]);
}

/**
 * The first page of a to-many relation for many parents in ONE statement: rows are numbered
 * per parent with ROW_NUMBER() in the page order, and only `limit + 1` per parent come back.
 * Returns each parent's rows in request order (the extra row tells there is a next page).
 */
export async function fetchRelatedRows(
  db: ReadDatabase,
  relation: ToManyRelation,
  parentIds: readonly string[],
  args: ListArgs,
  request: PageRequest,
  projection?: Projection,
): Promise<Map<string, MirroredRecord[]>> {
  const { dataSource } = db;
  const table = tableOf(dataSource, relation.target);
  const columns = table.columnsFor(projection, sortKeyPaths(request));
  const [parent, rowNumber] = [raw(table.escape('_parent')), raw(table.escape('_rn'))];
  const where = and([parentCondition(table, relation, parentIds), filterCondition(db, table, args), cursorCondition(table, request)]);
  const numbered = sql`SELECT ${table.selectList(T, columns)}, ${table.selectExpression(T, relation.foreignKey)} AS ${parent}, ROW_NUMBER() OVER (PARTITION BY ${table.ref(T, relation.foreignKey)} ORDER BY ${orderByClause(table, T, request.keys, request.backward)}) AS ${rowNumber} FROM ${fromTable(table)} WHERE ${where}`;
  const w = raw(table.escape('w'));
  const rows = await run(db, sql`SELECT * FROM (${numbered}) ${w} WHERE ${w}.${rowNumber} <= ${request.limit + 1} ORDER BY ${w}.${rowNumber}`);
  const byParent = new Map<string, MirroredRecord[]>();
  for (const row of rows) {
    const key = String(row._parent);
    const list = byParent.get(key) ?? [];
    list.push(table.hydrate(row, columns));
    byParent.set(key, list);
  }
  return byParent;
}

/** `totalCount` of a to-many relation for many parents in one GROUP BY statement. */
export async function fetchRelatedCounts(
  db: ReadDatabase,
  relation: ToManyRelation,
  parentIds: readonly string[],
  args: ListArgs,
): Promise<Map<string, number>> {
  const { dataSource } = db;
  const table = tableOf(dataSource, relation.target);
  const parent = raw(table.escape('_parent'));
  const rows = await run(
    db,
    sql`SELECT ${table.selectExpression(T, relation.foreignKey)} AS ${parent}, COUNT(*) AS ${raw(table.escape('n'))} FROM ${fromTable(table)} WHERE ${and([parentCondition(table, relation, parentIds), filterCondition(db, table, args)])} GROUP BY ${table.ref(T, relation.foreignKey)}`,
  );
  return new Map(rows.map((r) => [String(r._parent), Number(r.n)]));
}

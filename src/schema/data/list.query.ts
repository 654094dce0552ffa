import type { MirroredRecord } from '../../entities/index.js';
import type { ResourceName } from '../../resources/resource-table.js';
import type { Connection } from '../types/connection.type.js';
import type { ListArgs } from '../types/list-args.js';
import { toConnection } from './connection.js';
import { keysetCondition, orderByClause } from './order.sql.js';
import type { Projection } from '../model/projection.js';
import { pageRequestOf, sortKeyPaths, type PageLimits, type PageRequest } from './page-request.js';
import { run, type ReadDatabase } from './run.js';
import { and, raw, sql, TRUE, type Sql } from './sql.js';
import { tableOf, type Table } from './table.js';
import { compileWhere, liveCondition, WhereScope } from './where.sql.js';

const T = 't';

/** `where` and `includeDeleted` as one condition on `alias` (`t` unless told). */
export function filterCondition(db: ReadDatabase, table: Table, args: Pick<ListArgs, 'where' | 'includeDeleted'>, alias = T): Sql {
  return and([liveCondition(table, alias, args.includeDeleted), compileWhere(table, alias, args.where, new WhereScope(db.dataSource, db.access))]);
}

/** Rows strictly between the `after` and `before` cursors. */
export function cursorCondition(table: Table, request: PageRequest, alias = T): Sql {
  return and([
    request.after ? keysetCondition(table, alias, request.keys, request.after, 'after') : TRUE,
    request.before ? keysetCondition(table, alias, request.keys, request.before, 'before') : TRUE,
  ]);
}

export const fromTable = (table: Table): Sql => raw(`${table.name.text} ${table.escape(T)}`);

/** One page of a root list: one statement, plus one COUNT if `totalCount` is selected. */
export async function fetchPage(
  db: ReadDatabase,
  resource: ResourceName,
  args: ListArgs,
  limits: PageLimits,
  projection?: Projection,
): Promise<Connection<MirroredRecord>> {
  const { dataSource } = db;
  const table = tableOf(dataSource, resource);
  const request = pageRequestOf(table.model, args, limits);
  const filter = filterCondition(db, table, args);
  const columns = table.columnsFor(projection, sortKeyPaths(request));
  const rows = await run(
    db,
    sql`SELECT ${table.selectList(T, columns)} FROM ${fromTable(table)} WHERE ${and([filter, cursorCondition(table, request)])} ORDER BY ${orderByClause(table, T, request.keys, request.backward)} LIMIT ${request.limit + 1}`,
  );
  return toConnection(request, rows.map((r) => table.hydrate(r, columns)), async () => {
    const [row] = await run(db, sql`SELECT COUNT(*) AS ${raw(table.escape('n'))} FROM ${fromTable(table)} WHERE ${filter}`);
    return Number(row.n);
  });
}

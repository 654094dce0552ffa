import type { MirroredRecord } from '../../entities/index.js';
import type { ResourceName } from '../../resources/resource-table.js';
import type { Projection } from '../model/projection.js';
import { fromTable } from './list.query.js';
import { run, type ReadDatabase } from './run.js';
import { and, params, sql } from './sql.js';
import { idParam, isIntegerId, tableOf } from './table.js';
import { liveCondition } from './where.sql.js';

/** Rows by id in ONE statement, in the order asked; null for ids with no (live) row. */
export async function fetchByIds(
  db: ReadDatabase,
  resource: ResourceName,
  ids: readonly string[],
  includeDeleted: boolean,
  projection?: Projection,
): Promise<(MirroredRecord | null)[]> {
  const { dataSource } = db;
  const valid = [...new Set(ids.filter(isIntegerId))];
  if (valid.length === 0) return ids.map(() => null);
  const table = tableOf(dataSource, resource);
  const columns = table.columnsFor(projection);
  const rows = await run(
    db,
    sql`SELECT ${table.selectList('t', columns)} FROM ${fromTable(table)} WHERE ${and([sql`${table.ref('t', 'id')} IN (${params(valid.map((id) => idParam(id)))})`, liveCondition(table, 't', includeDeleted)])}`,
  );
  const byId = new Map(rows.map((r) => table.hydrate(r, columns)).map((e) => [e.id, e]));
  return ids.map((id) => byId.get(normalizeId(id)) ?? null);
}

/** `007` and `7` name the same row. */
const normalizeId = (id: string): string => (isIntegerId(id) ? BigInt(id).toString() : id);

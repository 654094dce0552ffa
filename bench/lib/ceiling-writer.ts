import type { Pool, PoolConnection } from 'mysql2/promise';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { UpstreamRecord } from '../../src/simulator/index.js';
import { createRecordMapper, type RecordMapper } from '../../src/sync/record-mapper.js';
import { recordResourceByName, type RecordResourceName } from '../../src/resources/resource-table.js';

/**
 * The ceiling of the sync's write path: rows already mapped to column values, inserted with
 * hand-written multi-row `INSERT ... ON DUPLICATE KEY UPDATE` statements through mysql2 (no
 * HTTP, no ORM, no transaction per page). The columns and values are exactly the ones the
 * engine writes (same record mapper, same driver conversions, `raw` as JSON text).
 */

/** Rows per statement, and a byte budget so a page of large records stays far below max_allowed_packet. */
export const CEILING_ROWS_PER_STATEMENT = 1_000;
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export type ColumnValues = unknown[];

/** Record → column values for one resource's table, in `columns` order. */
export class RowPreparer {
  readonly columns: string[];
  private readonly metadata: EntityMetadata;
  private readonly mapper: RecordMapper;

  constructor(
    private readonly dataSource: DataSource,
    readonly resource: RecordResourceName,
  ) {
    const entity = recordResourceByName(resource).entity;
    this.metadata = dataSource.getMetadata(entity);
    this.columns = this.metadata.columns.map((column) => column.databaseName);
    this.mapper = createRecordMapper(entity, { closeDateFormat: 'MDY' });
  }

  /** Column values of a record (null when the record has no usable id: the engine rejects those). */
  prepare(record: UpstreamRecord, syncedAt: Date): { values: ColumnValues; bytes: number } | null {
    const mapped = this.mapper(record);
    if (!mapped.ok) return null;
    const row = { ...mapped.row, syncedAt, deletedAt: null };
    let bytes = 0;
    const values = this.metadata.columns.map((column) => {
      const value = this.dataSource.driver.preparePersistentValue(column.getEntityValue(row), column);
      bytes += typeof value === 'string' ? value.length : 8;
      return value;
    });
    return { values, bytes };
  }

  /** The upsert statement with one `?` for the nested array of rows. */
  upsertSql(): string {
    const q = (name: string) => `\`${name}\``;
    const updates = this.columns.filter((c) => c !== 'id').map((c) => `${q(c)} = VALUES(${q(c)})`);
    return `INSERT INTO ${q(this.metadata.tableName)} (${this.columns.map(q).join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${updates.join(', ')}`;
  }
}

/** Splits prepared rows into statements of at most CEILING_ROWS_PER_STATEMENT rows and ~4 MB. */
export function* statementChunks(rows: Iterable<{ values: ColumnValues; bytes: number }>, rowsPerStatement = CEILING_ROWS_PER_STATEMENT): Generator<ColumnValues[]> {
  let chunk: ColumnValues[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (chunk.length > 0 && (chunk.length >= rowsPerStatement || bytes + row.bytes > MAX_STATEMENT_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row.values);
    bytes += row.bytes;
  }
  if (chunk.length > 0) yield chunk;
}

/** Runs the statements of one resource one after the other on one connection; resolves with the statement count. */
export async function writeChunks(connection: PoolConnection | Pool, sql: string, chunks: Iterable<ColumnValues[]>): Promise<number> {
  let statements = 0;
  for (const chunk of chunks) {
    await connection.query(sql, [chunk]);
    statements++;
  }
  return statements;
}

import type { DataSource } from 'typeorm';
import { DatabaseTimeoutError, type ReadPool, type Row } from '../../db/read-pool.js';
import type { Access } from '../access/access.js';
import { databaseTimeout } from '../errors.js';
import type { Sql } from './sql.js';

export type { Row };

/** What the read queries of one request need: the entity metadata (tables, hydration), the pool that runs reads, the caller's access rules. */
export interface ReadDatabase {
  readonly dataSource: DataSource;
  readonly pool: ReadPool;
  readonly access: Access;
}

/** Runs one read statement and returns the rows; a timeout becomes a DATABASE_TIMEOUT error for the client. */
export async function run(db: ReadDatabase, statement: Sql): Promise<Row[]> {
  try {
    return await db.pool.query(statement.text, statement.params);
  } catch (error) {
    if (error instanceof DatabaseTimeoutError) throw databaseTimeout(error.message);
    throw error;
  }
}

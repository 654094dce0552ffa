import type { DataSource } from 'typeorm';
import { DatabaseTimeoutError, type ReadPool, type Row } from '../../db/read-pool.js';
import { databaseTimeout } from '../errors.js';
import type { Sql } from './sql.js';

export type { Row };

/** What the read queries need: the entity metadata (tables, hydration) and the pool that runs reads. */
export interface ReadDatabase {
  readonly dataSource: DataSource;
  readonly pool: ReadPool;
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

import type { DataSource } from 'typeorm';
import type { Sql } from './sql.js';

export type Row = Record<string, unknown>;

/** Runs one statement (through TypeORM, so its logger sees it) and returns the rows. */
export async function run(dataSource: DataSource, statement: Sql): Promise<Row[]> {
  return (await dataSource.query(statement.text, [...statement.params])) as Row[];
}

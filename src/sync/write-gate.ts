import type { DataSource } from 'typeorm';

/**
 * TypeORM drives better-sqlite3 through one shared connection and one query runner: two
 * resources writing at once would nest their transactions (TransactionAlreadyStartedError) or
 * slip one resource's statements into the other's transaction. On SQLite every sync write
 * therefore goes through one queue per DataSource; MySQL has a pool and needs none.
 */
const queues = new WeakMap<DataSource, { tail: Promise<unknown> }>();

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

export function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}

/** Runs `work` alone among this DataSource's sync writes on SQLite, at once on MySQL. */
export function serialWrite<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isSqlite(dataSource)) return work();
  let queue = queues.get(dataSource);
  if (!queue) {
    queue = { tail: Promise.resolve() };
    queues.set(dataSource, queue);
  }
  const run = queue.tail.then(work);
  queue.tail = run.catch(() => undefined);
  return run;
}

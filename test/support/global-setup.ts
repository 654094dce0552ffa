import { startThrowawayMariaDb, type ThrowawayMariaDb } from './mariadb-server.js';

/**
 * Starts one MariaDB server for the whole run (or uses TEST_MYSQL_URL). Test files create their
 * own databases on it, so they can run in parallel without seeing each other's rows.
 */
let server: ThrowawayMariaDb | undefined;

export async function setup(): Promise<void> {
  if (process.env.TEST_MYSQL_URL) return;
  server = await startThrowawayMariaDb();
  process.env.TEST_MYSQL_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

/**
 * Throughput of a full sync into MariaDB: `node --import tsx test/sync/bench-full-sync.ts [records] [hostile]`.
 * A throwaway MariaDB and the simulator on loopback, the client rate limit lifted so the
 * sync itself is measured. Not a test: it prints numbers and asserts nothing.
 */
import 'reflect-metadata';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/data-source.js';
import { startSimulator } from '../../src/simulator/index.js';
import { createSyncEngine } from '../../src/sync/engine.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { createTestDatabase } from '../support/databases.js';
import { startThrowawayMariaDb } from '../support/mariadb-server.js';

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 100_000);
  const hostile = process.argv[3] === 'hostile';
  const server = process.env.TEST_MYSQL_URL ? undefined : await startThrowawayMariaDb();
  if (server) process.env.TEST_MYSQL_URL = server.url;
  const sim = await startSimulator({ records, seed: 99, hostile });
  const db = await createTestDatabase('mysql');
  const ds = await openDatabase(db.config);
  try {
    const config = loadConfig(
      { DATABASE_URL: db.url, UPSTREAM_BASE_URL: sim.url, UPSTREAM_API_KEY: 'test-key', UPSTREAM_USER_EMAIL: 'test@example.com', UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000' },
      { upstream: true },
    );
    const engine = createSyncEngine({ config, dataSource: ds });
    const began = process.hrtime.bigint();
    const runs = await engine.trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    await engine.close();
    const rows = (await Promise.all(RECORD_RESOURCE_NAMES.map((name) => ds.query(`SELECT COUNT(*) AS n FROM \`${name}\``)))).map(
      (result) => Number((result as { n: string }[])[0].n),
    );
    const total = rows.reduce((a, b) => a + b, 0);
    const upserts = runs.reduce((sum, run) => sum + run.recordsUpserted, 0);
    const requests = runs.reduce((sum, run) => sum + run.requests, 0);
    console.log(JSON.stringify({ records, hostile, statuses: runs.map((r) => `${r.resource}:${r.status}`), rows: total, upserts, requests, seconds: Number(seconds.toFixed(2)), recordsPerSecond: Math.round(total / seconds) }));
  } finally {
    await ds.destroy();
    await db.drop();
    await sim.close();
    await server?.stop();
  }
}

void main();

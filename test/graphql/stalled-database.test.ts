import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayMariaDb, type ThrowawayMariaDb } from '../support/mariadb-server.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';

/**
 * A database that stops answering (here: its real process frozen with SIGSTOP) must cost a
 * client a bounded wait and a clear error naming the timeout, never a request that hangs for
 * as long as the database does; and once it answers again, so does the API.
 */
const STATEMENT_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 800;

/**
 * Stops the process and waits until the kernel reports it stopped: kill() only queues the
 * signal, and on a loaded machine a thread may still finish what it was doing.
 */
async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + 5_000;
  // The state is the first field after the command name, which is in parentheses.
  const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  while (state() !== 'T') {
    if (Date.now() > deadline) throw new Error(`MariaDB (pid ${pid}) did not stop within 5 s of SIGSTOP (state ${state()})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a stalled MariaDB', () => {
  let server: ThrowawayMariaDb;
  let h: Harness;
  beforeAll(async () => {
    // Its own server, so that freezing it stops no other test file.
    server = await startThrowawayMariaDb();
    process.env.TEST_MYSQL_URL = server.url;
    h = await startHarness('mysql', {
      env: { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS), DATABASE_READ_POOL_SIZE: '4' },
    });
  });
  afterAll(async () => {
    if (server) process.kill(server.pid, 'SIGCONT');
    await h?.close();
    await server?.stop();
  });

  it('answers every request within the timeouts with DATABASE_TIMEOUT, and serves again once it resumes', async () => {
    const query = 'query($n: Int) { people(first: $n) { nodes { id name } } }';
    dataOf(await h.gql(query, { n: 5 }));
    await freeze(server.pid);
    try {
      const started = Date.now();
      // More requests than the pool has connections: the rest wait for one, and that wait is bounded too.
      const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => h.gql(query, { n: i + 1 })));
      const elapsed = Date.now() - started;
      for (const response of responses) {
        expect(response.status).toBe(200);
        const [error] = response.body.errors ?? [];
        expect(error?.extensions?.code, JSON.stringify(response.body).slice(0, 500)).toBe("DATABASE_TIMEOUT");
        expect(error?.message).toMatch(/DATABASE_(STATEMENT|ACQUIRE)_TIMEOUT_MS/);
      }
      // Connections timed out drop out of the pool, so a queued request waits for a fresh
      // one (its connect bounded by the acquire timeout) at most: a few timeouts, not the freeze.
      expect(elapsed).toBeLessThan(4 * (STATEMENT_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS));
      const health = await h.app.inject({ method: 'GET', url: '/graphql?query={__typename}', headers: { 'apollo-require-preflight': 'true' } });
      expect(health.statusCode).toBe(200);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    const deadline = Date.now() + 15_000;
    let last = await h.gql(query, { n: 3 });
    while (last.body.errors?.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await h.gql(query, { n: 3 });
    }
    expect(dataOf(last).people).toBeDefined();
  });
});

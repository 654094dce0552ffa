import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { freePort } from '../support/mariadb-server.js';

/**
 * `mirrorgraph serve` as an operator runs it: its own process, real upstream (the simulator),
 * real HTTP. Pins what only the assembled app shows: metrics move when a sync runs, resync over
 * HTTP with the admin token, secrets never in the logs, and SIGTERM exits 0.
 */
const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
const API_KEY = 'sk-e2e-upstream-key-7f3a91';
const ADMIN_TOKEN = 'admin-e2e-token-2c8d40';

async function metric(base: string, name: string): Promise<number> {
  const text = await (await request(`${base}/metrics`)).body.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function graphql(base: string, query: string, token?: string) {
  const response = await request(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } };
}

describe('mirrorgraph serve', () => {
  let simulator: Simulator;
  let child: ChildProcess;
  let base: string;
  let dir: string;
  let output = '';

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, records: 1_000, seed: 11, apiKey: API_KEY });
    dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir, 'mirror.sqlite')}`,
        UPSTREAM_BASE_URL: simulator.url,
        UPSTREAM_API_KEY: API_KEY,
        UPSTREAM_USER_EMAIL: 'test@example.com',
        UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
        ADMIN_TOKEN,
        PORT: String(port),
        LOG_LEVEL: 'debug',
        SYNC_SCHEDULE: 'off',
        FULL_SYNC_SCHEDULE: 'off',
        NODE_ENV: 'production',
        AUTH_MODE: 'api-key',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await request(`${base}/readyz`)).statusCode === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await simulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('syncs an empty mirror at start and serves it', async () => {
    const deadline = Date.now() + 30_000;
    let count = 0;
    while (Date.now() < deadline) {
      const { body } = await graphql(base, '{ people(first: 1) { totalCount } }', ADMIN_TOKEN);
      count = (body.data?.people as { totalCount: number } | undefined)?.totalCount ?? 0;
      if (count === simulator.store.liveRecords('people').length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(count).toBe(simulator.store.liveRecords('people').length);
  });

  it('answers an anonymous reader UNAUTHENTICATED (AUTH_MODE=api-key in production)', async () => {
    const { body } = await graphql(base, '{ people(first: 1) { totalCount } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data?.people ?? null).toBeNull();
  });

  it('refuses resync without the admin token and runs it with the token; /metrics moves', async () => {
    const denied = await graphql(base, 'mutation { resync(resources: [PEOPLE]) { id } }');
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const runsBefore = await metric(base, 'mirrorgraph_sync_runs_total{');
    const requestsBefore = await metric(base, 'mirrorgraph_upstream_requests_total{');
    simulator.store.modify('people', Number(simulator.store.liveRecords('people')[0]!.id));
    const { body } = await graphql(base, 'mutation { resync(resources: [PEOPLE], mode: FULL, wait: true) { resource mode status recordsUpserted } }', ADMIN_TOKEN);
    expect(body.errors).toBeUndefined();
    expect(body.data?.resync).toEqual([expect.objectContaining({ resource: 'PEOPLE', mode: 'FULL', status: 'SUCCEEDED' })]);
    expect(await metric(base, 'mirrorgraph_sync_runs_total{')).toBe(runsBefore + 1);
    expect(await metric(base, 'mirrorgraph_upstream_requests_total{')).toBeGreaterThan(requestsBefore);
  });

  it('answers a failing GraphQL request with a masked error carrying a request id', async () => {
    const response = await request(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ people(first: 100000) { nodes { id } } }' }),
    });
    const requestId = response.headers['x-request-id'];
    const body = JSON.stringify(await response.body.json());
    expect(requestId).toBeTruthy();
    expect(body).toContain('first');
    expect(body).not.toMatch(/at \/|\.ts:|SELECT /);
  });

  it('exits 0 on SIGTERM, and no secret ever reached its logs', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shut down cleanly');
    expect(output).toMatch(/"msg":"[^"]*sync[^"]*"/i); // the runs were logged
    if (process.env.SHOW_SERVE_LOG) console.log(output.slice(0, 3000));
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(ADMIN_TOKEN);
  });
});

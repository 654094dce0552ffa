import fastify, { type FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDataSource, openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { healthPlugin } from '../../src/web/health.plugin.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { TcpProxy } from './support/tcp-proxy.js';

async function healthApp(dataSource: DataSource, timeoutMs = 500): Promise<FastifyInstance> {
  const app = fastify();
  await app.register(healthPlugin, { dataSource, timeoutMs });
  await app.ready();
  return app;
}

async function readyz(app: FastifyInstance): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  return { status: response.statusCode, body: response.json() };
}

/** Polls until `/readyz` answers `status` (a pool may need a moment to drop dead connections). */
async function eventually(app: FastifyInstance, status: number, withinMs = 10_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const result = await readyz(app);
    if (result.status === status || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /healthz', () => {
  it('answers 200 while the process is up, whatever the database does', async () => {
    const app = await healthApp(createDataSource({ kind: 'sqlite', url: 'sqlite::memory:', path: ':memory:' }));
    try {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });
});

describe('GET /readyz on MariaDB reached through a proxy that can fail', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let ds: MirrorDataSource;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    if (db.config.kind !== 'mysql') throw new Error('expected a MySQL test database');
    proxy = await new TcpProxy(db.config.host, db.config.port).open();
    ds = await openDatabase({ ...db.config, host: '127.0.0.1', port: proxy.port });
    app = await healthApp(ds);
  });
  afterEach(async () => {
    proxy.resume();
    if (!proxy.isOpen) await proxy.open();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await proxy?.close();
    await db?.drop();
  });

  it('is ready when the database answers and no migration is pending', async () => {
    expect(await readyz(app)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('turns 503 naming the cause when the database goes away, and 200 when it returns', async () => {
    await proxy.close();
    const down = await eventually(app, 503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.reason).toMatch(/^database unreachable \([A-Z0-9_]+\)$/);

    await proxy.open();
    expect(await eventually(app, 200)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('turns 503 within the timeout when the database stops answering, holding one connection at most', async () => {
    expect((await readyz(app)).status).toBe(200);
    const query = vi.spyOn(ds, 'query');
    proxy.stall();
    const started = Date.now();
    const probes = await Promise.all(Array.from({ length: 5 }, () => readyz(app)));
    expect(Date.now() - started).toBeLessThan(3_000);
    for (const probe of probes) {
      expect(probe).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database did not answer within 500 ms' } });
    }
    expect((await readyz(app)).status).toBe(503);
    // Six probes, one ping: the later ones wait on the ping already in flight.
    expect(query).toHaveBeenCalledTimes(1);

    proxy.resume();
    expect(await eventually(app, 200)).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe.each(DIALECTS)('GET /readyz with pending migrations on %s', (dialect) => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    // Initialised but not migrated: as when new code with a new migration starts on an old database.
    ds = createDataSource(db.config);
    await ds.initialize();
    app = await healthApp(ds, 5_000);
  });
  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('is 503 until the migrations are applied, then 200', async () => {
    expect(await readyz(app)).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'database migrations are pending: run "mirrorgraph migrate"' },
    });
    await ds.runMigrations({ transaction: 'each' });
    expect(await readyz(app)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('does not ask about migrations again once they were applied', async () => {
    const showMigrations = vi.spyOn(ds, 'showMigrations');
    for (let i = 0; i < 3; i++) expect((await readyz(app)).status).toBe(200);
    expect(showMigrations).not.toHaveBeenCalled();
    showMigrations.mockRestore();
  });
});

describe('GET /readyz reasons', () => {
  it('say so when the DataSource was never initialised', async () => {
    const app = await healthApp(createDataSource({ kind: 'sqlite', url: 'sqlite::memory:', path: ':memory:' }));
    try {
      expect(await readyz(app)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database connection is not initialised' } });
    } finally {
      await app.close();
    }
  });

  it('name the kind of failure only: no password, host, user or driver text', async () => {
    const failing = {
      isInitialized: true,
      options: { type: 'mysql', password: 'hunter2-secret' },
      query: async () => {
        throw new Error("connect to mysql://mirror:hunter2-secret@db:3306/crm failed (password 'hunter2-secret')");
      },
    } as unknown as DataSource;
    const app = await healthApp(failing);
    try {
      const { status, body } = await readyz(app);
      expect(status).toBe(503);
      expect(body.reason).toBe('database unreachable (error)');
      expect(JSON.stringify(body)).not.toMatch(/hunter2|mirror|db:3306/);
    } finally {
      await app.close();
    }
  });
});

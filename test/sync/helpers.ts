import 'reflect-metadata';
import { expect } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import type { CrmRecord } from '../../src/entities/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../src/sync/engine.js';
import { recordResourceByName, type RecordResourceName } from '../../src/resources/resource-table.js';
import { coerceId } from '../../src/sync/value-coercions.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../support/databases.js';

/** A simulator, an empty migrated database and the environment that points a sync at both. */
export interface SyncFixture {
  sim: Simulator;
  db: TestDatabase;
  ds: MirrorDataSource;
  env: Record<string, string>;
  config(extra?: Record<string, string>): Readonly<AppConfig>;
  engine(options?: Partial<SyncEngineOptions> & { env?: Record<string, string> }): SyncEngine;
  close(): Promise<void>;
}

export async function syncFixture(dialect: Dialect, simulator: SimulatorOptions = {}): Promise<SyncFixture> {
  const sim = await startSimulator(simulator);
  const db = await createTestDatabase(dialect);
  const ds = await openDatabase(db.config);
  const env = {
    DATABASE_URL: db.url,
    UPSTREAM_BASE_URL: sim.url,
    UPSTREAM_API_KEY: 'test-key',
    UPSTREAM_USER_EMAIL: 'test@example.com',
    UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
    SYNC_LOOKBACK_SECONDS: '0',
  };
  const engines: SyncEngine[] = [];
  const config = (extra: Record<string, string> = {}) => loadConfig({ ...env, ...extra }, { upstream: true });
  return {
    sim,
    db,
    ds,
    env,
    config,
    engine(options = {}) {
      const engine = createSyncEngine({ config: config(options.env), dataSource: ds, retryBaseMs: 5, ...options });
      engines.push(engine);
      return engine;
    },
    async close() {
      for (const engine of engines) await engine.close();
      await ds.destroy();
      await sim.close();
      await db.drop();
    },
  };
}

export interface MirrorRowView {
  id: string;
  raw: Record<string, unknown>;
  deletedAt: Date | null;
  syncedAt: Date;
}

export async function mirrorRows(ds: DataSource, resource: RecordResourceName): Promise<MirrorRowView[]> {
  const rows = await ds.getRepository(recordResourceByName(resource).entity as new () => CrmRecord).find({
    select: { id: true, raw: true, deletedAt: true, syncedAt: true },
  });
  return rows.map((row) => ({ id: String(row.id), raw: row.raw as Record<string, unknown>, deletedAt: row.deletedAt, syncedAt: row.syncedAt }));
}

/** Upstream records that have a usable id, by id (the ones the mirror must hold). */
export function keyedLive(sim: Simulator, resource: RecordResourceName): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const record of sim.store.liveRecords(resource)) {
    const id = coerceId(record.id);
    if (id !== null) byId.set(id, record);
  }
  return byId;
}

/**
 * The mirror is exact: every live upstream record is a live row whose `raw` deep-equals it, and
 * every other row is marked deleted.
 */
export async function expectExactMirror(ds: DataSource, sim: Simulator, resource: RecordResourceName): Promise<void> {
  const expected = keyedLive(sim, resource);
  const rows = await mirrorRows(ds, resource);
  const live = rows.filter((row) => row.deletedAt === null);
  const liveIds = live.map((row) => row.id).sort();
  expect(liveIds, `${resource}: live ids`).toEqual([...expected.keys()].sort());
  for (const row of live) expect(row.raw, `${resource} ${row.id}`).toStrictEqual(expected.get(row.id));
}

import { afterEach, describe, expect, it } from 'vitest';
import { SyncProbe } from '../../src/entities/index.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, keyedLive, mirrorRows, syncFixture, type SyncFixture } from './helpers.js';
import { memoryLogger } from './hooked-client.js';

/**
 * A Copper-like upstream (people and companies without the modified filter, ties shuffled on
 * every request, a bare array, Copper's headers) synced with UPSTREAM_PROFILE=copper: exact
 * through a full sync, edits, an incremental, deletions and a full reconcile, with drift during
 * the crawls; and the probe's findings outlive the engine that made them.
 */
const COPPER_SIMULATOR = {
  records: 3_000,
  seed: 12,
  profile: 'copper' as const,
  envelope: 'bare' as const,
  apiKeyHeader: 'X-PW-AccessToken',
  userEmailHeader: 'X-PW-UserEmail',
  tieBlock: { people: 450 },
};

describe.each(DIALECTS)('a Copper-like upstream on %s', (dialect) => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('stays exact through full sync, edits, an incremental, deletions and a full reconcile, with drift during the crawls', async () => {
    f = await syncFixture(dialect, { ...COPPER_SIMULATOR, drift: { everyRequests: 3, modify: 2, remove: 1, create: 1 } });
    const engine = f.engine({ env: { UPSTREAM_PROFILE: 'copper', UPSTREAM_PAGE_SIZE: '100' } });
    const first = await engine.trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    expect(first.map((run) => [run.resource, run.status, run.error])).toEqual(RECORD_RESOURCE_NAMES.map((name) => [name, 'succeeded', null]));
    const strategies = Object.fromEntries((await engine.status()).map((s) => [s.resource, s.strategy]));
    expect(strategies).toEqual({ companies: 'keyset-created', people: 'keyset-created', opportunities: 'keyset-modified', projects: 'keyset-modified' });

    for (const resource of RECORD_RESOURCE_NAMES) {
      const live = [...keyedLive(f.sim, resource).keys()].map(Number);
      for (const id of live.slice(0, 15)) f.sim.store.modify(resource, id);
      for (const id of live.slice(40, 45)) f.sim.store.remove(resource, id);
      f.sim.store.create(resource);
    }
    const incremental = await engine.trigger(RECORD_RESOURCE_NAMES, 'incremental', { wait: true });
    expect(incremental.map((run) => [run.resource, run.status, run.error])).toEqual(RECORD_RESOURCE_NAMES.map((name) => [name, 'succeeded', null]));
    const full = await engine.trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    expect(full.map((run) => [run.resource, run.status, run.error])).toEqual(RECORD_RESOURCE_NAMES.map((name) => [name, 'succeeded', null]));
    expect(f.sim.drift.totals.removed).toBeGreaterThan(5);
    for (const resource of RECORD_RESOURCE_NAMES) {
      const live = keyedLive(f.sim, resource);
      const wronglyDeleted = (await mirrorRows(f.ds, resource)).filter((row) => row.deletedAt !== null && live.has(row.id));
      expect(wronglyDeleted, resource).toEqual([]);
    }

    f.sim.drift.configure(false);
    await engine.trigger(RECORD_RESOURCE_NAMES, 'incremental', { wait: true });
    const quiet = await engine.trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    expect(quiet.map((run) => run.status)).toEqual(RECORD_RESOURCE_NAMES.map(() => 'succeeded'));
    for (const resource of RECORD_RESOURCE_NAMES) await expectExactMirror(f.ds, f.sim, resource);
  });

  it('keeps what the probe found across a restart: a new engine does not probe again', async () => {
    f = await syncFixture(dialect, { ...COPPER_SIMULATOR, records: 1_200 });
    const env = { UPSTREAM_PROFILE: 'copper' };
    await f.engine({ env }).trigger(['people'], 'full', { wait: true });
    const stored = await f.ds.getRepository(SyncProbe).findOneByOrFail({ resource: 'people' });
    expect(JSON.parse(stored.findings)).toMatchObject({ modifiedMin: false, createdMin: true, ids: true });

    const { logger, lines } = memoryLogger();
    const restarted = f.engine({ env, logger });
    const [run] = await restarted.trigger(['people'], 'incremental', { wait: true });
    expect(run.status).toBe('succeeded');
    expect(lines.filter((line) => line.msg === 'probed what the search honours')).toEqual([]);
    const status = (await restarted.status()).find((s) => s.resource === 'people')!;
    expect(status.probedAt).toEqual(stored.probedAt);
    expect(status.capabilities.find((c) => c.name === 'modifiedMin')).toMatchObject({ name: 'modifiedMin', value: false, source: 'probed', note: expect.stringMatching(/outside it/) });
    expect(status.strategy).toBe('keyset-created');
  });
});

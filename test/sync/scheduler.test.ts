import { afterEach, describe, expect, it } from 'vitest';
import { SyncRun } from '../../src/entities/index.js';
import { startSyncScheduler, type SyncScheduler } from '../../src/sync/scheduler.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { expectExactMirror, syncFixture, type SyncFixture } from './helpers.js';

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sync scheduler', () => {
  let f: SyncFixture;
  let scheduler: SyncScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    await f?.close();
  });

  it('syncs an empty mirror at start, with both schedules off', async () => {
    f = await syncFixture('sqlite', { records: 600, seed: 61 });
    const config = f.config({ SYNC_SCHEDULE: 'off', FULL_SYNC_SCHEDULE: 'off' });
    const engine = f.engine();
    scheduler = startSyncScheduler({ engine, config });
    await scheduler.ready;
    await until(async () => (await engine.status()).every((s) => s.lastIncrementalRun?.status === 'succeeded' && !s.running));
    for (const resource of RECORD_RESOURCE_NAMES) await expectExactMirror(f.ds, f.sim, resource);

    await scheduler.stop();
    scheduler = startSyncScheduler({ engine, config });
    await scheduler.ready;
    await new Promise((r) => setTimeout(r, 300));
    expect(await f.ds.getRepository(SyncRun).count()).toBe(RECORD_RESOURCE_NAMES.length); // not empty any more: no new run
  });

  it('runs incremental syncs on SYNC_SCHEDULE and full ones on FULL_SYNC_SCHEDULE', async () => {
    f = await syncFixture('sqlite', { records: 200, seed: 62 });
    const config = f.config({ SYNC_SCHEDULE: '* * * * * *', FULL_SYNC_SCHEDULE: '*/2 * * * * *' });
    scheduler = startSyncScheduler({ engine: f.engine(), config, resources: ['projects'] });
    const runs = f.ds.getRepository(SyncRun);
    await until(async () => (await runs.countBy({ mode: 'incremental', status: 'succeeded' })) >= 2 && (await runs.countBy({ mode: 'full', status: 'succeeded' })) >= 1);
    expect(await runs.countBy({ resource: 'people' })).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/data-source.js';
import { SyncRun } from '../../src/entities/index.js';
import { createSyncEngine } from '../../src/sync/engine.js';
import { lockName } from '../../src/sync/resource-lock.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, syncFixture, type SyncFixture } from './helpers.js';

describe.each(DIALECTS)('one writer per resource on %s', (dialect) => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('hands a second trigger of a running resource the run in progress instead of starting another', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 1_000 }, seed: 41 });
    f.sim.faults.setRandom({ rate: 1, kinds: [{ kind: 'slow', delayMs: 30 }] });
    const engine = f.engine();
    const [first, second] = await Promise.all([engine.trigger(['people'], 'incremental'), engine.trigger(['people'], 'full')]);
    expect(second[0].id).toBe(first[0].id);
    expect(engine.progress('people')).toMatchObject({ runId: first[0].id, mode: 'incremental' });
    const [third] = await engine.trigger(['people'], 'incremental', { wait: true });
    expect(third.id).toBe(first[0].id);
    expect(third.status).toBe('succeeded');
    expect(await f.ds.getRepository(SyncRun).count()).toBe(1);
    f.sim.faults.clear();
    await expectExactMirror(f.ds, f.sim, 'people');
  });
});

describe('two engines on MariaDB', () => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('never both write one resource: the named lock makes the second report it is busy', async () => {
    f = await syncFixture('mysql', { records: 0, counts: { people: 1_000, companies: 200 }, seed: 42 });
    f.sim.faults.setRandom({ rate: 1, kinds: [{ kind: 'slow', delayMs: 40 }] });
    const other = await openDatabase(f.db.config);
    try {
      const a = f.engine();
      const b = createSyncEngine({ config: f.config(), dataSource: other, retryBaseMs: 5 });
      const [running] = await a.trigger(['people'], 'full');
      const [held] = (await other.query('SELECT IS_USED_LOCK(?) AS holder', [lockName(other, 'people')])) as { holder: unknown }[];
      expect(held.holder).not.toBeNull();

      const [busy, companies] = await b.trigger(['people', 'companies'], 'incremental', { wait: true });
      expect(busy.status).toBe('failed');
      expect(busy.error).toMatch(/already running in another process/);
      expect(busy.pages).toBe(0);
      expect(companies.status).toBe('succeeded'); // other resources are not held up

      const [done] = await a.trigger(['people'], 'full', { wait: true });
      expect(done.id).toBe(running.id);
      expect(done.status).toBe('succeeded');
      const [free] = (await other.query('SELECT IS_FREE_LOCK(?) AS free', [lockName(other, 'people')])) as { free: unknown }[];
      expect(Number(free.free)).toBe(1);
      const [afterwards] = await b.trigger(['people'], 'incremental', { wait: true });
      expect(afterwards.status).toBe('succeeded');
      await b.close();
    } finally {
      await other.destroy();
    }
    f.sim.faults.clear();
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('keeps lock names apart for two mirrors on one server', async () => {
    f = await syncFixture('mysql', { records: 10 });
    expect(lockName(f.ds, 'people')).toBe(`mirrorgraph:sync:people:${f.db.config.kind === 'mysql' ? f.db.config.database : ''}`);
    expect(lockName(f.ds, 'opportunities').length).toBeLessThanOrEqual(64);
  });
});

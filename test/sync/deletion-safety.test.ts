import { afterEach, describe, expect, it } from 'vitest';
import { Person, SyncState } from '../../src/entities/index.js';
import { TIE_BLOCK_SIZE } from '../../src/simulator/index.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, keyedLive, mirrorRows, syncFixture, type SyncFixture } from './helpers.js';
import { HookedClient, memoryLogger } from './hooked-client.js';

/** The timestamp of the simulator's tie block: TIE_BLOCK_SIZE people modified in the same second. */
function tieInstant(f: SyncFixture): number {
  const counts = new Map<number, number>();
  for (const record of f.sim.store.liveRecords('people')) {
    const key = record.date_modified as number;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [instant, size] = [...counts].sort((a, b) => b[1] - a[1])[0];
  expect(size).toBe(TIE_BLOCK_SIZE);
  return instant;
}

describe.each(DIALECTS)('deletion safety on %s', (dialect) => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('does not mark deleted a record that slid past the crawl when a tie spanning pages lost a member', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 2_000 }, seed: 4 });
    await f.engine().trigger(['people'], 'full', { wait: true });
    const instant = tieInstant(f);
    const tie = f.sim.store.liveRecords('people').filter((r) => r.date_modified === instant);

    const client = new HookedClient(f.config());
    const { logger, lines } = memoryLogger();
    let removed: number | undefined;
    client.hook = (body) => {
      // Right after page 1 of the tie's window: deleting a record already read shifts the rest
      // back by one, so the first record of page 2 slides onto page 1 and the crawl misses it.
      if (body.minimum_modified_date === instant && body.page_number === 1 && removed === undefined) {
        removed = tie[0].id as number;
        f.sim.store.remove('people', removed);
      }
    };
    const [run] = await f.engine({ client, logger }).trigger(['people'], 'full', { wait: true });
    expect(removed).toBeDefined();
    expect(run.status).toBe('succeeded');
    // The crawl missed one live record of the tie; the re-check found it again.
    const rechecks = lines.filter((line) => line.msg === 'deletion candidates re-checked');
    expect(rechecks[0]).toMatchObject({ pass: 1, candidates: 1, revived: 1 });
    expect(run.recordsDeleted).toBe(0);
    const wronglyDeleted = (await mirrorRows(f.ds, 'people')).filter((row) => row.deletedAt !== null);
    expect(wronglyDeleted).toEqual([]);

    // The deleted record had been read before it went: the next full reconcile marks it.
    const [next] = await f.engine().trigger(['people'], 'full', { wait: true });
    expect(next.recordsDeleted).toBe(1);
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('marks nothing deleted when a full reconcile is interrupted, and finishes the job when resumed', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 2_000 }, seed: 5 });
    await f.engine().trigger(['people'], 'full', { wait: true });
    const victims = [...keyedLive(f.sim, 'people').keys()].filter((_, i) => i % 300 === 7).map(Number);
    for (const id of victims) f.sim.store.remove('people', id);

    const client = new HookedClient(f.config());
    const engine = f.engine({ client });
    // Stopped as the request for page 4 leaves. Pages are fetched one ahead, so that is while
    // page 3 is written: the run commits page 3, perhaps page 4, and goes no further.
    client.hook = (_body, count) => {
      if (count === 4) void engine.stop();
    };
    const [interrupted] = await engine.trigger(['people'], 'full', { wait: true });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.recordsDeleted).toBe(0);
    expect(interrupted.pages).toBeGreaterThanOrEqual(3);
    expect(interrupted.pages).toBeLessThanOrEqual(4);
    expect((await mirrorRows(f.ds, 'people')).filter((row) => row.deletedAt !== null)).toEqual([]);
    const state = await f.ds.getRepository(SyncState).findOneByOrFail({ resource: 'people' });
    expect(state.fullStartedAt).toBeInstanceOf(Date);

    const resumer = new HookedClient(f.config());
    const firstBodies: unknown[] = [];
    resumer.hook = (body, count) => {
      if (count === 1) firstBodies.push({ ...body });
    };
    const [resumed] = await f.engine({ client: resumer }).trigger(['people'], 'full', { wait: true });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.recordsDeleted).toBe(victims.length);
    // It went on from its checkpoint rather than starting over.
    expect(firstBodies[0]).toMatchObject({ minimum_modified_date: Number(state.fullCursorModified), page_number: state.fullCursorPage });
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('marks nothing deleted when a full reconcile fails midway', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 1_500 }, seed: 6 });
    await f.engine().trigger(['people'], 'full', { wait: true });
    for (const id of [...keyedLive(f.sim, 'people').keys()].slice(0, 50)) f.sim.store.remove('people', Number(id));
    const noop = { kind: 'slow' as const, delayMs: 0 };
    f.sim.faults.enqueue([noop, noop, '503', '503', '503', '503']);
    const [failed] = await f.engine({ env: { UPSTREAM_MAX_RETRIES: '3' } }).trigger(['people'], 'full', { wait: true });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/after 3 retries/);
    expect(failed.pages).toBe(2);
    expect(await f.ds.getRepository(Person).count()).toBe(1_500);
    expect((await mirrorRows(f.ds, 'people')).filter((row) => row.deletedAt !== null)).toEqual([]);
  });
});

describe.each(DIALECTS)('drift during a crawl on %s', (dialect) => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('never marks a live record deleted, and ends exact after an incremental and a full once drift stops', async () => {
    f = await syncFixture(dialect, { records: 3_000, seed: 8, hostile: true, drift: { everyRequests: 2, modify: 3, remove: 1, create: 1 } });
    const engine = f.engine({ env: { UPSTREAM_PAGE_SIZE: '100' } });
    const resources = ['people', 'opportunities'] as const;
    expect((await engine.trigger(resources, 'incremental', { wait: true })).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect((await engine.trigger(resources, 'full', { wait: true })).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(f.sim.drift.totals.removed).toBeGreaterThan(10);
    for (const resource of resources) {
      const live = keyedLive(f.sim, resource);
      const wronglyDeleted = (await mirrorRows(f.ds, resource)).filter((row) => row.deletedAt !== null && live.has(row.id));
      expect(wronglyDeleted).toEqual([]);
    }

    f.sim.drift.configure(false);
    await engine.trigger(resources, 'incremental', { wait: true });
    const runs = await engine.trigger(resources, 'full', { wait: true });
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    for (const resource of resources) await expectExactMirror(f.ds, f.sim, resource);
  });
});

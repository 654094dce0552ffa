import { afterEach, describe, expect, it } from 'vitest';
import { SyncProbe } from '../../src/entities/index.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, mirrorRows, syncFixture, type SyncFixture } from './helpers.js';

describe.each(DIALECTS)('a page check that trips, on %s', (dialect) => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('fails the run naming what was sent, deletes nothing, probes again, and the next run takes the strategy that works', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 1_500 }, seed: 71 });
    const engine = f.engine();
    const [first] = await engine.trigger(['people'], 'full', { wait: true });
    expect([first.status, first.strategy]).toEqual(['succeeded', 'keyset-modified']);

    // The API stops honouring the modified filter (a deployment change): the stored findings are now wrong.
    f.sim.setBehaviour('people', { modifiedFilter: false });
    f.sim.store.modify('people', f.sim.store.liveRecords('people')[0].id as number);
    const [tripped] = await engine.trigger(['people'], 'full', { wait: true });
    expect(tripped.status).toBe('failed');
    expect(tripped.error).toMatch(/POST \/v1\/resource\/people\/search \{.*"minimum_modified_date":\d+.*\} returned a record with date_modified \d+ outside \[\d+, -\].*the API ignored the filter/);
    expect(tripped.recordsDeleted).toBe(0);
    expect((await mirrorRows(f.ds, 'people')).filter((row) => row.deletedAt !== null)).toEqual([]);
    const probe = await f.ds.getRepository(SyncProbe).findOneByOrFail({ resource: 'people' });
    expect(JSON.parse(probe.findings)).toMatchObject({ modifiedMin: false, createdMin: true });
    expect(probe.stale).toBe(false);

    const [next] = await engine.trigger(['people'], 'full', { wait: true });
    expect([next.status, next.strategy, next.error]).toEqual(['succeeded', 'keyset-created', null]);
    await expectExactMirror(f.ds, f.sim, 'people');
  });
});

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

  it('keeps the assumption where an empty resource proved nothing, and probes again at the next full once it holds records', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 0 }, seed: 72 });
    // Copper's assumptions, the simulator's own headers and envelope.
    const env = { UPSTREAM_PROFILE: 'copper', UPSTREAM_API_KEY_HEADER: 'api_key', UPSTREAM_USER_EMAIL_HEADER: 'user_email', UPSTREAM_DATA_SELECTOR: 'data' };
    const engine = f.engine({ env });
    const [empty] = await engine.trigger(['people'], 'incremental', { wait: true });
    expect(empty.status).toBe('succeeded');
    let status = (await engine.status()).find((s) => s.resource === 'people')!;
    // Nothing proven: Copper's documented assumption stands (no modified filter for people).
    expect(status.capabilities.find((c) => c.name === 'modifiedMin')).toMatchObject({ value: false, source: 'assumed' });
    expect(status.strategy).toBe('keyset-created');

    for (let i = 0; i < 300; i++) f.sim.store.create('people');
    const [full] = await engine.trigger(['people'], 'full', { wait: true });
    expect([full.status, full.error]).toEqual(['succeeded', null]);
    status = (await engine.status()).find((s) => s.resource === 'people')!;
    // The honest simulator does honour it, and now a request has shown that.
    expect(status.capabilities.find((c) => c.name === 'modifiedMin')).toMatchObject({ value: true, source: 'probed' });
    expect(status.strategy).toBe('keyset-modified');
    await expectExactMirror(f.ds, f.sim, 'people');
  });
});

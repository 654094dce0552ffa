import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Opportunity, Person, SyncReject, SyncState } from '../../src/entities/index.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, keyedLive, mirrorRows, syncFixture, type SyncFixture } from './helpers.js';

describe.each(DIALECTS)('mirror on %s', (dialect) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await syncFixture(dialect, { records: 4_000, seed: 11, hostile: true, rejects: true });
    const runs = await f.engine().trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    expect(runs.map((run) => [run.resource, run.status, run.error])).toEqual(RECORD_RESOURCE_NAMES.map((name) => [name, 'succeeded', null]));
  });
  afterAll(() => f?.close());

  it.each(RECORD_RESOURCE_NAMES)('holds every live %s record with raw deep-equal to what the API sent', async (resource) => {
    await expectExactMirror(f.ds, f.sim, resource);
  });

  it('fills typed columns from hostile values and nulls the ones that do not fit', async () => {
    const people = f.ds.getRepository(Person);
    const live = [...keyedLive(f.sim, 'people').values()];
    const find = (test: (r: Record<string, unknown>) => boolean) => {
      const record = live.find(test);
      expect(record, 'the hostile dataset has such a record').toBeDefined();
      return people.findOneByOrFail({ id: String(record!.id) }).then((row) => ({ record: record!, row }));
    };
    const huge = await find((r) => typeof r.details === 'string' && r.details.length > 65_536);
    expect(huge.row.details).toBe(huge.record.details);
    const long = await find((r) => typeof r.name === 'string' && [...r.name].length > 255);
    expect(long.row.name).toBeNull();
    const emoji = await find((r) => typeof r.name === 'string' && /\p{Extended_Pictographic}/u.test(r.name) && [...r.name].length <= 255);
    expect(emoji.row.name).toBe(emoji.record.name);
    const big = await find((r) => typeof r.id === 'number' && r.id > 2 ** 32);
    expect(big.row.id).toBe(String(big.record.id));
    const quoted = await find((r) => typeof r.assignee_id === 'string');
    expect(quoted.row.assigneeId).toBe(quoted.record.assignee_id);
    const badTags = await find((r) => typeof r.tags === 'string');
    expect(badTags.row.tags).toBeNull();
    const nullDate = await find((r) => r.date_modified === null);
    expect(nullDate.row.dateModified).toBeNull();
    const missingDate = await find((r) => !('date_modified' in r));
    expect(missingDate.row.raw).not.toHaveProperty('date_modified');
    const plain = await find((r) => typeof r.date_modified === 'number' && typeof r.first_name === 'string' && r.first_name.trim() !== '');
    expect(plain.row.dateModified).toEqual(new Date((plain.record.date_modified as number) * 1_000));
    expect(plain.row.firstName).toBe(plain.record.first_name);

    const opportunities = [...keyedLive(f.sim, 'opportunities').values()];
    const mdy = opportunities.find((r) => typeof r.close_date === 'string' && /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(r.close_date));
    const row = await f.ds.getRepository(Opportunity).findOneByOrFail({ id: String(mdy!.id) });
    const [m, d, y] = (mdy!.close_date as string).split('/').map(Number);
    const valid = m <= 12 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
    expect(row.closeDate).toBe(valid ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : null);
    expect(row.closeDateRaw).toBe(mdy!.close_date);
  });

  it('stores records without a usable id in sync_rejects with the reason and the payload', async () => {
    const rejects = await f.ds.getRepository(SyncReject).find({ where: { resource: 'people' }, order: { id: 'ASC' } });
    expect(rejects.map((r) => r.reason).sort()).toEqual(['id "abc" is not a positive integer (a safe integer or a digit string)', 'missing id']);
    const expected = f.sim.store.liveRecords('people').filter((r) => r.id === 'abc' || !('id' in r));
    expect(rejects.map((r) => JSON.parse(r.payload) as unknown)).toEqual(expect.arrayContaining(expected));
    expect(rejects.every((r) => r.runId !== null)).toBe(true);
    const status = await f.engine().status();
    expect(status.find((s) => s.resource === 'people')!.lastFullRun!.recordsRejected).toBe(2);
  });

  it('picks up changes incrementally, marks deletions only in a full reconcile, and revives a record that comes back', async () => {
    const engine = f.engine();
    const live = [...keyedLive(f.sim, 'companies').values()];
    const [modified, removed, revived] = [live[10].id, live[20].id, live[30].id] as number[];
    f.sim.store.modify('companies', modified);
    const created = f.sim.store.create('companies');
    const revivedRecord = f.sim.store.get('companies', revived)!;
    f.sim.store.remove('companies', removed);
    f.sim.store.remove('companies', revived);

    const [incremental] = await engine.trigger(['companies'], 'incremental', { wait: true });
    expect(incremental.status).toBe('succeeded');
    expect(incremental.recordsDeleted).toBe(0);
    const rows = new Map((await mirrorRows(f.ds, 'companies')).map((row) => [row.id, row]));
    expect(rows.get(String(modified))!.raw).toEqual(f.sim.store.get('companies', modified));
    expect(rows.get(String(created.id))!.raw).toEqual(created);
    expect(rows.get(String(removed))!.deletedAt).toBeNull();

    const [full] = await engine.trigger(['companies'], 'full', { wait: true });
    expect(full.recordsDeleted).toBe(2);
    await expectExactMirror(f.ds, f.sim, 'companies');
    const gone = new Map((await mirrorRows(f.ds, 'companies')).map((row) => [row.id, row]));
    expect(gone.get(String(removed))!.deletedAt).toBeInstanceOf(Date);

    f.sim.store.put('companies', { ...revivedRecord, date_modified: (f.sim.store.get('companies', created.id as number)!.date_modified as number) + 1 });
    await engine.trigger(['companies'], 'incremental', { wait: true });
    const back = (await mirrorRows(f.ds, 'companies')).find((row) => row.id === String(revived))!;
    expect(back.deletedAt).toBeNull();
    await expectExactMirror(f.ds, f.sim, 'companies');
  });

  it('keeps the checkpoint in sync_state and clears the full crawl state when done', async () => {
    const state = await f.ds.getRepository(SyncState).findOneByOrFail({ resource: 'people' });
    expect(state.fullStartedAt).toBeNull();
    expect(state.lastFullReconcileAt).toBeInstanceOf(Date);
    expect(Number(state.cursorModified)).toBeGreaterThan(0);
    const status = (await f.engine().status()).find((s) => s.resource === 'people')!;
    expect(status.recordCount).toBe(keyedLive(f.sim, 'people').size);
    expect(status.cursor).toBe(Number(state.cursorModified));
    expect(status.running).toBe(false);
  });
});

describe('the incremental cursor', () => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await syncFixture('sqlite', { records: 0, counts: { companies: 300 }, seed: 22 });
  });
  afterAll(() => f?.close());

  it('never moves back when the lookback window comes back empty', async () => {
    const engine = f.engine({ env: { SYNC_LOOKBACK_SECONDS: '300' } });
    await engine.trigger(['companies'], 'incremental', { wait: true });
    const cursor = (await engine.status()).find((s) => s.resource === 'companies')!.cursor!;
    const newest = f.sim.store.liveRecords('companies').filter((r) => (r.date_modified as number) >= cursor - 300);
    for (const record of newest) f.sim.store.remove('companies', record.id as number);
    for (let i = 0; i < 2; i++) {
      const [run] = await engine.trigger(['companies'], 'incremental', { wait: true });
      expect(run.status).toBe('succeeded');
      expect((await engine.status()).find((s) => s.resource === 'companies')!.cursor).toBe(cursor);
    }
  });
});

describe('a data set larger than the result cap', () => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await syncFixture('sqlite', { records: 0, counts: { people: 3_000 }, cap: 1_000, seed: 21 });
  });
  afterAll(() => f?.close());

  it('syncs completely with keyset windows, never paging past the cap', async () => {
    const [run] = await f.engine().trigger(['people'], 'full', { wait: true });
    expect(run.status).toBe('succeeded');
    expect(f.sim.stats.byStatus[400]).toBeUndefined();
    await expectExactMirror(f.ds, f.sim, 'people');
    expect((await mirrorRows(f.ds, 'people')).length).toBe(3_000);
  });
});

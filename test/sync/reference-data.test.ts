import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomFieldDefinition, PipelineStage, User } from '../../src/entities/index.js';
import { REFERENCE_RESOURCES } from '../../src/resources/resource-table.js';
import { DIALECTS } from '../support/databases.js';
import { syncFixture, type SyncFixture } from './helpers.js';

/**
 * The reference data mirrored from the simulator over HTTP: whole lists, diffed (an unchanged
 * row is not rewritten), deletions by absence, and a failed fetch that changes nothing.
 */
describe.each(DIALECTS)('reference data sync on %s', (dialect) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await syncFixture(dialect, { records: 200, seed: 5 });
  });
  afterAll(() => f?.close());

  const liveIds = async (entity: typeof User | typeof PipelineStage | typeof CustomFieldDefinition) =>
    (await f.ds.getRepository(entity).find({ order: { id: 'ASC' } })).filter((row) => row.deletedAt === null).map((row) => Number(row.id));

  it('mirrors every list, users across pages, each row as the API sent it', async () => {
    for (let id = 41; id <= 450; id++) f.sim.reference.set('users', { id, name: `User ${id}`, email: `u${id}@example.com` });
    const results = await f.engine().syncReferenceData();
    expect(results.map((r) => [r.resource, r.error])).toEqual(REFERENCE_RESOURCES.map((r) => [r.name, undefined]));
    expect(await liveIds(User)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    const stages = await f.ds.getRepository(PipelineStage).find({ order: { id: 'ASC' } });
    expect(stages.map((s) => s.raw)).toEqual(f.sim.reference.list('pipeline_stages'));
    expect(stages.every((s) => s.pipelineId !== null && s.name !== null)).toBe(true);
    const region = await f.ds.getRepository(CustomFieldDefinition).findOneByOrFail({ id: '11' });
    expect(region.name).toBe('Region');
    expect(region.options?.[0]).toMatchObject({ id: 100, name: 'EMEA' });
  });

  it('rewrites only what changed, marks what vanished deleted and undeletes what came back', async () => {
    const before = new Map((await f.ds.getRepository(User).find()).map((u) => [u.id, u.syncedAt.getTime()]));
    const region = f.sim.reference.list('custom_field_definitions').find((d) => d.id === 11)!;
    f.sim.reference.set('custom_field_definitions', { ...region, id: 11, options: [{ id: 100, name: 'Europe', rank: 0 }] });
    f.sim.reference.remove('pipeline_stages', 15);
    f.sim.reference.remove('users', 7);
    await new Promise((r) => setTimeout(r, 1_100)); // a later second, so a rewrite would show in synced_at
    const results = await f.engine().syncReferenceData();
    const byName = new Map(results.map((r) => [r.resource, r]));
    expect(byName.get('custom_field_definitions')).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(byName.get('users')).toMatchObject({ inserted: 0, updated: 0, deleted: 1 });
    expect(byName.get('pipeline_stages')).toMatchObject({ inserted: 0, updated: 0, deleted: 1 });
    expect(byName.get('contact_types')).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    const after = await f.ds.getRepository(User).find();
    for (const user of after) if (user.id !== '7') expect(user.syncedAt.getTime(), `user ${user.id} was rewritten`).toBe(before.get(user.id));
    expect(after.find((u) => u.id === '7')?.deletedAt).not.toBeNull();
    expect((await f.ds.getRepository(CustomFieldDefinition).findOneByOrFail({ id: '11' })).options).toEqual([{ id: 100, name: 'Europe', rank: 0 }]);
    expect(await liveIds(PipelineStage)).toEqual([10, 11, 12, 13, 14]);

    f.sim.reference.set('users', { id: 7, name: 'Back Again', email: 'back@example.com' });
    const back = await f.engine().syncReferenceData();
    expect(back.find((r) => r.resource === 'users')).toMatchObject({ updated: 1, deleted: 0 });
    const user = await f.ds.getRepository(User).findOneByOrFail({ id: '7' });
    expect([user.name, user.deletedAt]).toEqual(['Back Again', null]);
  });

  it('deletes nothing from a list holding a record without a usable id, and keeps the rest current', async () => {
    f.sim.reference.remove('contact_types', 2);
    f.sim.reference.set('contact_types', { id: 'not-an-id' as unknown as number, name: 'Broken' });
    f.sim.reference.set('contact_types', { id: 3, name: 'Renamed' });
    try {
      const result = (await f.engine().syncReferenceData()).find((r) => r.resource === 'contact_types')!;
      expect(result).toMatchObject({ rejected: 1, updated: 1, deleted: 0 });
      const rows = await f.ds.query(`SELECT id, name, deleted_at FROM contact_types WHERE id IN (2, 3) ORDER BY id`);
      expect(rows.map((r: { name: string; deleted_at: unknown }) => [r.name, r.deleted_at])).toEqual([['Current Customer', null], ['Renamed', null]]);
    } finally {
      f.sim.reference.remove('contact_types', 'not-an-id' as unknown as number);
      f.sim.reference.set('contact_types', { id: 2, name: 'Current Customer' });
    }
  });

  it('stops at the first repeated page when the users search ignores page_number, and writes nothing', async () => {
    f.sim.reference.usersIgnorePageNumber = true;
    f.sim.reference.remove('users', 450);
    try {
      const requestsBefore = f.sim.stats.requests;
      const result = (await f.engine().syncReferenceData()).find((r) => r.resource === 'users')!;
      expect(result.error).toMatch(/same 200 records as page 1.*page_number ignored/);
      // Page 1 and a repeat of it, not 500 pages.
      expect(f.sim.stats.requests - requestsBefore).toBeLessThan(12);
      expect(await liveIds(User)).toContain(450);
    } finally {
      f.sim.reference.usersIgnorePageNumber = false;
    }
  });

  it('changes nothing for a list whose fetch fails, and says why', async () => {
    f.sim.reference.remove('loss_reasons', 1);
    const engine = f.engine();
    for (const kind of ['non-json', 'truncated'] as const) {
      // Every attempt of the first list fails: non-JSON and truncated bodies are retried, then the list is given up.
      f.sim.faults.enqueue(Array.from({ length: 4 }, () => kind));
      const results = await engine.syncReferenceData();
      expect(results[0].resource).toBe('users');
      expect(results[0].error, kind).toBeTruthy();
      expect(results[0].error).not.toContain('test-key');
      f.sim.faults.clear();
    }
    expect(await liveIds(User)).toContain(1);
    // The other lists went on: the loss reason removed upstream is deleted here.
    const reasons = await f.ds.query(`SELECT id FROM loss_reasons WHERE deleted_at IS NOT NULL`);
    expect(reasons.map((r: { id: unknown }) => Number(r.id))).toEqual([1]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncRun } from '../../src/entities/index.js';
import { ADMIN_TOKEN, dataOf, startHarness, type Harness } from './support/harness.js';

const RESYNC = 'mutation { resync(resources: [PEOPLE, COMPANIES]) { id resource mode status } }';

describe('sync operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { seed: false });
    const runs = h.dataSource.getRepository(SyncRun);
    for (const [i, resource] of ['people', 'companies', 'people', 'people'].entries()) {
      await runs.insert({ resource, mode: i === 3 ? 'full' : 'incremental', status: 'succeeded', startedAt: new Date(Date.UTC(2026, 0, 1 + i)), finishedAt: null, error: null });
    }
  });
  afterAll(async () => h?.close());

  it('resync without a token is UNAUTHENTICATED and starts nothing', async () => {
    const response = await h.gql(RESYNC);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors?.[0].message).toMatch(/Authorization: Bearer/);
    expect(h.sync.triggers).toEqual([]);
  });

  it('resync with a wrong token is UNAUTHENTICATED, and neither token shows up anywhere', async () => {
    for (const authorization of [`Bearer ${ADMIN_TOKEN}x`, `Bearer ${ADMIN_TOKEN.slice(0, -1)}`, ADMIN_TOKEN, `Basic ${ADMIN_TOKEN}`, 'Bearer ']) {
      const response = await h.gql(RESYNC, undefined, { authorization });
      expect(response.body.errors?.[0].extensions?.code, authorization).toBe('UNAUTHENTICATED');
      expect(response.text).not.toContain(ADMIN_TOKEN.slice(0, 12));
    }
    expect(h.sync.triggers).toEqual([]);
    expect(JSON.stringify(h.logs)).not.toContain(ADMIN_TOKEN.slice(0, 12));
  });

  it('resync with the token triggers the controller with resource names and the default mode', async () => {
    const data = dataOf<{ resync: { resource: string; mode: string; status: string }[] }>(
      await h.gql(RESYNC, undefined, { authorization: `bearer  ${ADMIN_TOKEN}` }),
    );
    expect(h.sync.triggers.at(-1)).toEqual({ resources: ['people', 'companies'], mode: 'incremental', wait: false });
    expect(data.resync.map((r) => [r.resource, r.mode, r.status])).toEqual([
      ['PEOPLE', 'INCREMENTAL', 'RUNNING'],
      ['COMPANIES', 'INCREMENTAL', 'RUNNING'],
    ]);
    await h.gql('mutation { resync(resources: [PROJECTS, PROJECTS], mode: FULL, wait: true) { id } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(h.sync.triggers.at(-1)).toEqual({ resources: ['projects'], mode: 'full', wait: true });
    await h.gql('mutation { resync { id } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(h.sync.triggers.at(-1)?.resources).toEqual(['companies', 'people', 'opportunities', 'projects']);
    expect(JSON.stringify(h.logs)).not.toContain(ADMIN_TOKEN);
  });

  it('reports sync status per resource from the controller', async () => {
    const data = dataOf<{ syncStatus: Record<string, unknown>[] }>(
      await h.gql('{ syncStatus { resource cursor running recordCount deletedCount lastError lastIncrementalRun { mode status } lastFullRun { id } progress { runId pages cursor mode } } }'),
    );
    expect(data.syncStatus.map((s) => s.resource)).toEqual(['COMPANIES', 'PEOPLE', 'OPPORTUNITIES', 'PROJECTS']);
    expect(data.syncStatus[1]).toEqual({
      resource: 'PEOPLE',
      cursor: '2026-01-01T00:00:00.000Z',
      running: true,
      recordCount: 10,
      deletedCount: 1,
      lastError: null,
      lastIncrementalRun: { mode: 'INCREMENTAL', status: 'SUCCEEDED' },
      lastFullRun: null,
      progress: { runId: 99, pages: 2, cursor: '2026-01-01T00:00:00.000Z', mode: 'INCREMENTAL' },
    });
  });

  it('shows the strategy and each capability with its source and the probe note', async () => {
    const data = dataOf<{ syncStatus: Record<string, unknown>[] }>(
      await h.gql('{ syncStatus { resource strategy probedAt reprobeReason capabilities { name value source note } } }'),
    );
    expect(data.syncStatus[1]).toEqual({
      resource: 'PEOPLE',
      strategy: 'keyset-created',
      probedAt: '2026-02-01T09:00:00.000Z',
      reprobeReason: null,
      capabilities: [{ name: 'modifiedMin', value: false, source: 'probed', note: 'minimum_modified_date 5 returned 3 records outside it' }],
    });
  });

  it('lists recent sync runs from the database, latest first, per resource', async () => {
    const data = dataOf<{ people: { resource: string; mode: string; startedAt: string }[]; all: unknown[] }>(
      await h.gql('{ people: syncRuns(first: 2, resource: PEOPLE) { resource mode startedAt } all: syncRuns { id } }'),
    );
    expect(data.people).toEqual([
      { resource: 'PEOPLE', mode: 'FULL', startedAt: '2026-01-04T00:00:00.000Z' },
      { resource: 'PEOPLE', mode: 'INCREMENTAL', startedAt: '2026-01-03T00:00:00.000Z' },
    ]);
    expect(data.all).toHaveLength(4);
  });
});

describe('resync without ADMIN_TOKEN configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { seed: false, env: { ADMIN_TOKEN: '' } });
  });
  afterAll(async () => h?.close());

  it('is disabled, says how to enable it, and starts nothing', async () => {
    const response = await h.gql(RESYNC, undefined, { authorization: 'Bearer anything' });
    expect(response.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(response.body.errors?.[0].message).toMatch(/set ADMIN_TOKEN/);
    expect(h.sync.triggers).toEqual([]);
  });
});

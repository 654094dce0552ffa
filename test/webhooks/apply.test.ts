import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { Person, WebhookInboxEntry } from '../../src/entities/index.js';
import { acquireResourceLock } from '../../src/sync/resource-lock.js';
import { DIALECTS } from '../support/databases.js';
import { keyedLive, mirrorRows, syncFixture, type SyncFixture } from '../sync/helpers.js';
import { changesOf, notification, postNotification, serveFixture, subscribe } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mirrored(dialect: (typeof DIALECTS)[number], webhooks: Record<string, unknown> = {}): Promise<SyncFixture> {
  const f = await syncFixture(dialect, { records: 300, seed: 11, webhooks: { allowHttpTargets: true, batchMs: 5, ...webhooks } });
  cleanups.push(() => f.close());
  const runs = await f.engine().trigger(['people'], 'full', { wait: true });
  expect(runs.map((run) => run.status)).toEqual(['succeeded']);
  return f;
}

async function served(f: SyncFixture, options: Parameters<typeof serveFixture>[1] = {}): Promise<RunningApp> {
  const app = await serveFixture(f, options);
  cleanups.push(() => app.close());
  return app;
}

const target = (app: RunningApp): string => `${app.url}/webhooks/upstream`;
const rowOf = async (f: SyncFixture, id: number | string) => (await mirrorRows(f.ds, 'people')).find((row) => row.id === String(id));
const inboxDepth = (f: SyncFixture): Promise<number> => f.ds.getRepository(WebhookInboxEntry).count();

describe.each(DIALECTS)('webhook notifications (%s)', (dialect) => {
  it('an update upstream reaches the mirror through its notification, logged as a webhook change', async () => {
    const f = await mirrored(dialect);
    const app = await served(f);
    await subscribe(f.sim, f.ds, target(app), 'people', 'update');
    const [id] = f.sim.store.liveIds('people') as number[];
    f.sim.store.modify('people', id);
    const upstream = keyedLive(f.sim, 'people').get(String(id))!;
    await vi.waitFor(async () => expect((await rowOf(f, id))?.raw).toEqual(upstream), { timeout: 10_000, interval: 50 });
    const changes = await changesOf(f.ds, 'people');
    expect(changes.filter((c) => c.source === 'webhook').map((c) => [c.recordId, c.kind])).toEqual([[String(id), 'UPSERTED']]);
    expect(await inboxDepth(f)).toBe(0);
  });

  it('a delete notification deletes only what the lookup confirms gone', async () => {
    const f = await mirrored(dialect);
    const app = await served(f);
    const deletes = await subscribe(f.sim, f.ds, target(app), 'people', 'delete');
    const [gone, alive] = f.sim.store.liveIds('people') as number[];
    f.sim.store.remove('people', gone);
    // The simulator's own notification names `gone`; this forged-by-mistake one names a record that still exists.
    expect((await postNotification(app.url, notification(deletes, 'people', 'delete', [alive]))).status).toBe(202);
    await vi.waitFor(async () => expect((await rowOf(f, gone))?.deletedAt).not.toBeNull(), { timeout: 10_000, interval: 50 });
    await vi.waitFor(async () => expect(await inboxDepth(f)).toBe(0), { timeout: 10_000, interval: 50 });
    expect((await rowOf(f, alive))?.deletedAt).toBeNull();
    const changes = (await changesOf(f.ds, 'people')).filter((c) => c.source === 'webhook');
    expect(changes.map((c) => [c.recordId, c.kind])).toEqual([[String(gone), 'DELETED']]);
  });

  it('refuses a wrong or missing secret and bad bodies, and stores none of them', async () => {
    const f = await mirrored(dialect);
    const app = await served(f, { worker: false });
    const subscription = await subscribe(f.sim, f.ds, target(app), 'people', 'update');
    const [id] = f.sim.store.liveIds('people') as number[];
    const good = notification(subscription, 'people', 'update', [id]);
    const wrong = await postNotification(app.url, { ...good, mirrorgraph_secret: `${subscription.secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain(subscription.secret.slice(0, 12));
    expect((await postNotification(app.url, { ...good, mirrorgraph_secret: undefined })).status).toBe(401);
    expect((await postNotification(app.url, { ...good, subscription_id: 999_999 })).status).toBe(401);
    const badIds = await postNotification(app.url, { ...good, ids: ['x1'] });
    expect(badIds).toMatchObject({ status: 400, body: { error: expect.stringContaining('ids: expected positive integer ids') } });
    const otherType = await postNotification(app.url, { ...good, type: 'company' });
    expect(otherType).toMatchObject({ status: 400, body: { error: expect.stringContaining('expected people/update') } });
    const broken = await postNotification(app.url, `{"mirrorgraph_secret": "${subscription.secret}", "ids": [`);
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).not.toContain(subscription.secret.slice(0, 12));
    const huge = await postNotification(app.url, { ...good, padding: 'x'.repeat(70_000) });
    expect(huge).toMatchObject({ status: 413, body: { error: expect.stringContaining('at most 65536 bytes') } });
    expect(await inboxDepth(f)).toBe(0);
    // Bearer authentication does not apply to the receiver: a wrong bearer token changes nothing.
    expect((await postNotification(app.url, good, { authorization: 'Bearer wrong' })).status).toBe(202);
    expect(await inboxDepth(f)).toBe(1);
  });

  it('ends exact after the next scheduled runs when notifications are lost, duplicated, reordered and late', async () => {
    const f = await mirrored(dialect, { loss: 0.3, duplicates: 0.3, reorder: true, delayMs: [0, 300], seed: 5 });
    const app = await served(f);
    for (const event of ['new', 'update', 'delete'] as const) await subscribe(f.sim, f.ds, target(app), 'people', event);
    const ids = f.sim.store.liveIds('people') as number[];
    for (let i = 0; i < 40; i++) f.sim.store.modify('people', ids[i]);
    for (let i = 40; i < 50; i++) f.sim.store.remove('people', ids[i]);
    for (let i = 0; i < 10; i++) f.sim.store.create('people');
    for (let i = 0; i < 10; i++) f.sim.store.modify('people', ids[i]);
    await f.sim.webhooks.idle();
    expect(f.sim.webhooks.stats.lost).toBeGreaterThan(0);
    expect(f.sim.webhooks.stats.duplicated).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await inboxDepth(f)).toBe(0), { timeout: 10_000, interval: 50 });
    // Whatever arrived was applied from the upstream's current state: never an older copy over a newer one.
    const upstream = keyedLive(f.sim, 'people');
    for (const row of await mirrorRows(f.ds, 'people')) {
      const live = upstream.get(row.id);
      if (live && row.deletedAt === null) expect(Number(row.raw.date_modified)).toBeLessThanOrEqual(Number(live.date_modified));
    }
    const engine = f.engine();
    expect((await engine.trigger(['people'], 'incremental', { wait: true }))[0].status).toBe('succeeded');
    expect((await engine.trigger(['people'], 'full', { wait: true }))[0].status).toBe('succeeded');
    const rows = await mirrorRows(f.ds, 'people');
    const live = new Map(rows.filter((row) => row.deletedAt === null).map((row) => [row.id, row.raw]));
    expect(live).toEqual(keyedLive(f.sim, 'people'));
  });

  it('waits while another process holds the resource, then applies what it received', async () => {
    const f = await mirrored(dialect);
    const app = await served(f, { pollMs: 50 });
    await subscribe(f.sim, f.ds, target(app), 'people', 'update');
    const other = await acquireResourceLock(f.ds, 'people', 'webhooks');
    expect(other).not.toBeNull();
    const [id] = f.sim.store.liveIds('people') as number[];
    f.sim.store.modify('people', id);
    await f.sim.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await inboxDepth(f)).toBe(1);
    await other!.release();
    await vi.waitFor(async () => expect(await inboxDepth(f)).toBe(0), { timeout: 10_000, interval: 50 });
    expect((await rowOf(f, id))?.raw).toEqual(keyedLive(f.sim, 'people').get(String(id)));
  });
});

describe('webhook notifications where ids is not honoured', () => {
  it('are applied by an incremental sync instead', async () => {
    const f = await syncFixture('sqlite', { records: 300, seed: 12, behaviour: { people: { idsFilter: false } }, webhooks: { allowHttpTargets: true, batchMs: 5 } });
    cleanups.push(() => f.close());
    const env = { SYNC_CAPABILITIES: JSON.stringify({ people: { ids: false } }) };
    expect((await f.engine({ env }).trigger(['people'], 'full', { wait: true }))[0].status).toBe('succeeded');
    const app = await served(f, { env });
    await subscribe(f.sim, f.ds, target(app), 'people', 'update');
    const [id] = f.sim.store.liveIds('people') as number[];
    f.sim.store.modify('people', id);
    await vi.waitFor(async () => expect((await rowOf(f, id))?.raw).toEqual(keyedLive(f.sim, 'people').get(String(id))), { timeout: 10_000, interval: 50 });
    await vi.waitFor(async () => expect(await inboxDepth(f)).toBe(0), { timeout: 10_000, interval: 50 });
    const last = (await changesOf(f.ds, 'people')).at(-1)!;
    expect([last.recordId, last.source]).toEqual([String(id), 'sync']);
    expect(await f.ds.getRepository(Person).countBy({})).toBeGreaterThan(0);
  });
});

describe('webhook notifications while the upstream fails', () => {
  it('back off: notifications arriving meanwhile do not make the worker ask again before its wait is over', async () => {
    const f = await mirrored('sqlite');
    const app = await served(f, { pollMs: 50, env: { UPSTREAM_MAX_RETRIES: '0' } });
    const subscription = await subscribe(f.sim, f.ds, target(app), 'people', 'update');
    const ids = f.sim.store.liveIds('people') as number[];
    f.sim.faults.setRandom({ rate: 1, kinds: ['500'] });
    const before = f.sim.stats.requests;
    for (let i = 0; i < 20; i++) {
      expect((await postNotification(app.url, notification(subscription, 'people', 'update', [ids[i]]))).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // 500 ms of failures: the first attempt, then waits of 1 s: at most two lookups, not one per notification.
    expect(f.sim.stats.requests - before).toBeLessThanOrEqual(2);
    f.sim.faults.setRandom(null);
    await vi.waitFor(async () => expect(await inboxDepth(f)).toBe(0), { timeout: 10_000, interval: 50 });
    const entries = keyedLive(f.sim, 'people');
    for (const id of ids.slice(0, 20)) expect((await rowOf(f, id))?.raw).toEqual(entries.get(String(id)));
  });
});

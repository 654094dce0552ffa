import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { WebhookInboxEntry } from '../../src/entities/index.js';
import { subscribe as subscribeTo, type Subscriber } from '../changes/support/subscriber.js';
import { DIALECTS } from '../support/databases.js';
import { keyedLive, mirrorRows, syncFixture, type SyncFixture } from '../sync/helpers.js';
import { changesOf, serveFixture, subscribe } from './support.js';

/**
 * The whole way: a change in the simulator, its webhook notification, the apply worker, the
 * change log and a GraphQL subscriber's `recordsChanged` event over graphql-ws.
 */
const ADMIN_TOKEN = 'webhooks-e2e-admin-token';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mirrored(dialect: (typeof DIALECTS)[number]): Promise<SyncFixture> {
  const f = await syncFixture(dialect, { records: 200, seed: 41, webhooks: { allowHttpTargets: true, batchMs: 5 } });
  cleanups.push(() => f.close());
  expect((await f.engine().trigger(['people'], 'full', { wait: true }))[0].status).toBe('succeeded');
  return f;
}

async function served(f: SyncFixture, worker = true): Promise<RunningApp> {
  const app = await serveFixture(f, { worker, env: { ADMIN_TOKEN } });
  cleanups.push(() => app.close());
  return app;
}

function subscriber(app: RunningApp): Subscriber {
  const s = subscribeTo({ url: `${app.url.replace(/^http/, 'ws')}/graphql`, authorization: `Bearer ${ADMIN_TOKEN}`, resources: ['PEOPLE'] });
  cleanups.push(() => s.close());
  return s;
}

/** The feed starts a subscriber at the head once it has it: wait until it is live. */
async function live(app: RunningApp, count: number): Promise<void> {
  await vi.waitFor(() => expect(app.changeFeed.liveSize).toBe(count), { timeout: 5_000, interval: 10 });
}

describe.each(DIALECTS)('webhooks end to end (%s)', (dialect) => {
  it('a change upstream updates the record and reaches the subscriber as a WEBHOOK event', async () => {
    const f = await mirrored(dialect);
    const app = await served(f);
    await subscribe(f.sim, f.ds, `${app.url}/webhooks/upstream`, 'people', 'update');
    await subscribe(f.sim, f.ds, `${app.url}/webhooks/upstream`, 'people', 'delete');
    const events = subscriber(app);
    await live(app, 1);
    const [changed, removed] = (f.sim.store.liveIds('people') as number[]).map(String);
    f.sim.store.modify('people', Number(changed));
    f.sim.store.remove('people', Number(removed));
    expect((await events.waitForIds(2, 10_000)).sort()).toEqual([changed, removed].sort());
    expect(events.events.map((e) => [e.kind, e.source, e.ids])).toEqual(
      expect.arrayContaining([
        ['UPSERTED', 'WEBHOOK', [changed]],
        ['DELETED', 'WEBHOOK', [removed]],
      ]),
    );
    const rows = await mirrorRows(f.ds, 'people');
    expect(rows.find((row) => row.id === changed)?.raw).toEqual(keyedLive(f.sim, 'people').get(changed));
    expect(rows.find((row) => row.id === removed)?.deletedAt).not.toBeNull();
  });
});

describe('webhooks with two replicas on one MariaDB database', () => {
  it('one applies each notification, and both deliver its event', async () => {
    const f = await mirrored('mysql');
    const first = await served(f);
    const second = await served(f);
    await subscribe(f.sim, f.ds, `${first.url}/webhooks/upstream`, 'people', 'update');
    const [onFirst, onSecond] = [subscriber(first), subscriber(second)];
    await live(first, 1);
    await live(second, 1);
    const ids = (f.sim.store.liveIds('people') as number[]).slice(0, 6).map(String);
    for (const id of ids) {
      f.sim.store.modify('people', Number(id));
      await f.sim.webhooks.idle();
    }
    expect((await onFirst.waitForIds(6, 10_000)).sort()).toEqual([...ids].sort());
    expect((await onSecond.waitForIds(6, 10_000)).sort()).toEqual([...ids].sort());
    await vi.waitFor(async () => expect(await f.ds.getRepository(WebhookInboxEntry).count()).toBe(0), { timeout: 10_000, interval: 25 });
    // Each change logged once, whichever replica applied it (the named lock test in apply.test.ts shows one at a time).
    const logged = (await changesOf(f.ds, 'people')).filter((c) => c.source === 'webhook').map((c) => c.recordId);
    expect(logged.sort()).toEqual([...ids].sort());
  });
});

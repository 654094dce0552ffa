import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../src/app.js';
import type { AppConfig } from '../src/config.js';
import { openDatabase } from '../src/db/data-source.js';
import { WebhookInboxEntry } from '../src/entities/index.js';
import { silentLogger } from '../src/logger.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { createSyncEngine, type SyncEngine } from '../src/sync/engine.js';
import { WebhookSubscriptionStore } from '../src/webhooks/subscription.store.js';
import { subscribe } from '../src/webhooks/subscriptions.service.js';
import { createUpstreamWebhooksClient, WEBHOOK_EVENTS } from '../src/webhooks/upstream-webhooks.client.js';
import type { BenchContext } from './lib/context.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import { benchConfig } from './lib/sync-env.js';

/**
 * What webhooks buy, in upstream requests: a mirror of N people kept current over a simulated
 * day in which 1% of the records change (80% updated, 10% created, 10% deleted), spread over
 * the 96 quarter-hours of the day.
 *
 * - Webhooks off, the default schedule: an incremental every 15 minutes (changes seen up to 15
 *   minutes late) and a full reconcile a day (deletions seen up to a day late).
 * - Webhooks on, the relaxed schedule the README suggests: an incremental an hour and a full
 *   reconcile a week (a seventh of one counted per day), plus the worker's lookups. Each change
 *   is delivered and applied before the next is made, so every notification names one id: the
 *   worst case for the lookups (bursts share a lookup of up to 200 ids).
 * - For scale, polling often enough to match the webhooks' freshness without them: an
 *   incremental every 10 seconds, computed from the measured cost of an incremental.
 *
 * Requests are counted by the simulator (everything the mirror asked of the upstream). The
 * simulator's delivery delay is zero.
 *
 * And the end-to-end latency: from a change in the simulator to its event at a GraphQL
 * subscriber (`recordsChanged` over graphql-ws), with the simulator's delivery delay zero:
 * notification, inbox, lookup, upsert and change log, then the change feed: woken at once on
 * the process that applied it, at its next poll (CHANGE_FEED_POLL_MS, 200 ms) on a replica.
 */
const QUARTERS = 96;
const MIX = { update: 0.8, create: 0.1, remove: 0.1 } as const;

interface DayCost {
  incrementals: number;
  incrementalRequests: number;
  fullRequests: number;
  lookupRequests: number;
  perDay: number;
}

type Change = () => void;

/** The day's changes, in order, as calls on the simulator's store (deterministic for a seed). */
function dayOfChanges(sim: Simulator, count: number): Change[][] {
  const ids = sim.store.liveIds('people') as number[];
  const changes: Change[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[(next = (next + 7_919) % ids.length)];
    const roll = (i * 0.618_033_988_75) % 1;
    if (roll < MIX.update) changes.push(() => void sim.store.modify('people', id));
    else if (roll < MIX.update + MIX.create) changes.push(() => void sim.store.create('people'));
    else changes.push(() => void sim.store.remove('people', id));
  }
  const quarters: Change[][] = Array.from({ length: QUARTERS }, () => []);
  changes.forEach((change, i) => quarters[Math.floor((i * QUARTERS) / changes.length)].push(change));
  return quarters;
}

async function counted(sim: Simulator, work: () => Promise<unknown>): Promise<number> {
  const before = sim.stats.requests;
  await work();
  return sim.stats.requests - before;
}

async function run(engine: SyncEngine, mode: 'full' | 'incremental'): Promise<void> {
  const [result] = await engine.trigger(['people'], mode, { wait: true });
  if (result.status !== 'succeeded') throw new Error(`${mode}: ${result.error}`);
}

async function webhooksOff(ctx: BenchContext, records: number): Promise<DayCost & { emptyIncremental: number }> {
  const sim = await startSimulator({ records: 0, counts: { people: records }, seed: 5 });
  const db = await ctx.database('realtime_off');
  const dataSource = await openDatabase(db.config);
  const engine = createSyncEngine({ config: benchConfig(db.url, sim.url, { SYNC_LOOKBACK_SECONDS: '0' }), dataSource, logger: silentLogger });
  try {
    await run(engine, 'full');
    let incrementalRequests = 0;
    for (const quarter of dayOfChanges(sim, Math.round(records / 100))) {
      for (const change of quarter) change();
      incrementalRequests += await counted(sim, () => run(engine, 'incremental'));
    }
    const fullRequests = await counted(sim, () => run(engine, 'full'));
    // What one more poll costs when nothing changed since the last: the price of polling often.
    const emptyIncremental = await counted(sim, () => run(engine, 'incremental'));
    return { incrementals: QUARTERS, incrementalRequests, fullRequests, lookupRequests: 0, perDay: incrementalRequests + fullRequests, emptyIncremental };
  } finally {
    await engine.close();
    await dataSource.destroy();
    await sim.close();
  }
}

async function subscribeAll(app: RunningApp, config: Readonly<AppConfig>): Promise<void> {
  const client = createUpstreamWebhooksClient(config.upstream);
  try {
    await subscribe(client, new WebhookSubscriptionStore(app.dataSource), { target: `${app.url}/webhooks/upstream`, resources: ['people'], events: WEBHOOK_EVENTS }, () => undefined);
  } finally {
    await client.close();
  }
}

/** Resolves when the simulator has delivered everything and the inbox is empty. */
async function settled(sim: Simulator, app: RunningApp): Promise<void> {
  await sim.webhooks.idle();
  const inbox = app.dataSource.getRepository(WebhookInboxEntry);
  for (let waited = 0; (await inbox.count()) > 0; waited += 5) {
    if (waited > 30_000) throw new Error('the webhook inbox did not drain in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function webhooksOn(ctx: BenchContext, records: number): Promise<DayCost & { notifications: number }> {
  const sim = await startSimulator({ records: 0, counts: { people: records }, seed: 5, webhooks: { allowHttpTargets: true, batchMs: 0 } });
  const db = await ctx.database('realtime_on');
  const config = benchConfig(db.url, sim.url, { SYNC_LOOKBACK_SECONDS: '0', PORT: '0', WEBHOOK_POLL_MS: '1000' });
  const app = await startApp({ config, logger: silentLogger, schedule: false });
  try {
    await run(app.engine, 'full');
    await subscribeAll(app, config);
    app.webhooks.start();
    const lookupsBefore = app.webhooks.stats.requests;
    let incrementalRequests = 0;
    const quarters = dayOfChanges(sim, Math.round(records / 100));
    const requestsBefore = sim.stats.requests;
    for (let q = 0; q < quarters.length; q++) {
      for (const change of quarters[q]) {
        change();
        await settled(sim, app);
      }
      if (q % 4 === 3) incrementalRequests += await counted(sim, () => run(app.engine, 'incremental'));
    }
    const lookupRequests = app.webhooks.stats.requests - lookupsBefore;
    const dayRequests = sim.stats.requests - requestsBefore;
    const fullRequests = await counted(sim, () => run(app.engine, 'full'));
    const weeklyShare = Math.round(fullRequests / 7);
    return { incrementals: QUARTERS / 4, incrementalRequests, fullRequests, lookupRequests, perDay: dayRequests + weeklyShare, notifications: sim.webhooks.stats.delivered };
  } finally {
    await app.close();
    await sim.close();
  }
}

interface Latency {
  /** Where the subscriber is: on the process that applies the notification, or on another replica of the same database. */
  where: 'same process' | 'another replica';
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

const RECORDS_CHANGED = 'subscription { recordsChanged(resources: [PEOPLE]) { cursor ids } }';
const ADMIN_TOKEN = 'bench-realtime-admin-token';

async function latency(ctx: BenchContext, records: number, samples: number, where: Latency['where']): Promise<Latency> {
  const sim = await startSimulator({ records: 0, counts: { people: records }, seed: 6, webhooks: { allowHttpTargets: true, batchMs: 0, delayMs: 0 } });
  const db = await ctx.database(`realtime_latency_${where.replace(/ /g, '_')}`);
  const config = benchConfig(db.url, sim.url, { PORT: '0', ADMIN_TOKEN });
  const app = await startApp({ config, logger: silentLogger, schedule: false });
  // A replica hears of another's commits at its feed's next poll (CHANGE_FEED_POLL_MS), not at once.
  const replica = where === 'another replica' ? await startApp({ config, logger: silentLogger, schedule: false }) : app;
  const client = createClient({ url: `${replica.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${ADMIN_TOKEN}` }, retryAttempts: 0 });
  try {
    await run(app.engine, 'full');
    await subscribeAll(app, config);
    app.webhooks.start();
    const waiting = new Map<string, (at: number) => void>();
    let failure: unknown = null;
    const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe<{ recordsChanged: { ids: string[] } }>(
      { query: RECORDS_CHANGED },
      {
        next: (result) => {
          const at = performance.now();
          for (const id of result.data?.recordsChanged.ids ?? []) waiting.get(id)?.(at);
        },
        error: (error) => (failure = error),
        complete: () => undefined,
      },
    );
    await ready;
    // The feed starts from the head when the subscription arrives: give it one poll to be live.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = sim.store.liveIds('people') as number[];
    const measured: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (failure) throw new Error(`the subscription failed: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`);
      const id = String(ids[(i * 7_919) % ids.length]);
      const seen = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event for person ${id} within 10 s`)), 10_000);
        waiting.set(id, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const start = performance.now();
      sim.store.modify('people', Number(id));
      measured.push((await seen) - start);
      waiting.delete(id);
      // Out of step with the feed's poll, as real changes are.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
    }
    measured.sort((a, b) => a - b);
    const at = (q: number) => measured[Math.min(measured.length - 1, Math.floor(q * measured.length))];
    return { where, samples, p50: at(0.5), p99: at(0.99), max: measured[measured.length - 1] };
  } finally {
    await client.dispose();
    if (replica !== app) await replica.close();
    await app.close();
    await sim.close();
  }
}

export async function runRealtimeBench(ctx: BenchContext): Promise<ScenarioResult> {
  const records = ctx.sizes.sync.records;
  const samples = ctx.profile === 'tiny' ? 30 : 300;
  const latencies: Latency[] = [];
  for (const where of ['same process', 'another replica'] as const) {
    ctx.log(`realtime: latency from a change upstream to the subscriber's event, ${samples} changes, subscriber on ${where}`);
    latencies.push(await latency(ctx, Math.min(records, 10_000), samples, where));
  }
  ctx.log(`realtime: a simulated day of 1% changes on ${fmt.int(records)} people, webhooks off`);
  const off = await webhooksOff(ctx, records);
  ctx.log('realtime: the same day, webhooks on');
  const on = await webhooksOn(ctx, records);
  const polling = Math.round((86_400 / 10) * off.emptyIncremental);
  const rows: TableRow[] = [
    ...latencies.map((l) => ({
      scenario: 'realtime',
      measure: `change upstream to subscriber's event, ${l.samples} changes, subscriber on ${l.where === 'same process' ? 'the process that applies' : 'another replica (feed polls every 200 ms)'}`,
      ours: `p50 ${fmt.ms(l.p50)} / p99 ${fmt.ms(l.p99)}`,
      baseline: `max ${fmt.ms(l.max)}; without webhooks up to 15 min`,
    })),
    {
      scenario: 'realtime',
      measure: `webhooks off: ${off.incrementals} incrementals + 1 full reconcile a day (changes up to 15 min late, deletions up to a day)`,
      ours: `${fmt.int(off.perDay)} requests/day`,
      baseline: `${fmt.int(off.incrementalRequests)} incremental + ${fmt.int(off.fullRequests)} reconcile`,
    },
    {
      scenario: 'realtime',
      measure: `webhooks on: ${on.notifications} notifications applied, ${on.incrementals} incrementals a day, a full reconcile a week`,
      ours: `${fmt.int(on.perDay)} requests/day`,
      baseline: `${fmt.int(on.lookupRequests)} lookups + ${fmt.int(on.incrementalRequests)} incremental + ${fmt.int(Math.round(on.fullRequests / 7))} (a seventh of ${fmt.int(on.fullRequests)})`,
      ratio: fmt.ratio(on.perDay, off.perDay),
    },
    {
      scenario: 'realtime',
      measure: 'webhooks off, polling every 10 s to be as fresh (deletions still a day late)',
      ours: `${fmt.int(polling + off.fullRequests)} requests/day`,
      baseline: `8,640 x ${off.emptyIncremental} + ${fmt.int(off.fullRequests)}`,
    },
  ];
  return { scenario: 'realtime', rows, data: { records, off, on, polling, latencies }, notes: ['requests counted by the simulator; each change notified alone (no shared lookups), delivery delay zero'] };
}

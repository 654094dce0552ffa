import 'reflect-metadata';
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

export async function runRealtimeBench(ctx: BenchContext): Promise<ScenarioResult> {
  const records = ctx.sizes.sync.records;
  ctx.log(`realtime: a simulated day of 1% changes on ${fmt.int(records)} people, webhooks off`);
  const off = await webhooksOff(ctx, records);
  ctx.log('realtime: the same day, webhooks on');
  const on = await webhooksOn(ctx, records);
  const polling = Math.round((86_400 / 10) * off.emptyIncremental);
  const rows: TableRow[] = [
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
  return { scenario: 'realtime', rows, data: { records, off, on, polling }, notes: ['requests counted by the simulator; each change notified alone (no shared lookups), delivery delay zero'] };
}

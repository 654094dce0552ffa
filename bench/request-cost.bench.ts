import 'reflect-metadata';
import { openDatabase } from '../src/db/data-source.js';
import { silentLogger } from '../src/logger.js';
import { startSimulator } from '../src/simulator/index.js';
import { createSyncEngine } from '../src/sync/engine.js';
import type { StrategyName } from '../src/sync/strategies/strategy.js';
import type { BenchContext } from './lib/context.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import { benchConfig } from './lib/sync-env.js';

/**
 * Upstream requests each crawl strategy spends, since at 180 requests a minute requests are what
 * a real sync is bounded by: a full sync of N people into an empty mirror, an incremental after
 * 1% of them changed, and a full reconcile after 0.1% were deleted (the deletions confirmed by
 * `ids` lookups). Each strategy is pinned by SYNC_CAPABILITIES (so no probe runs; a probe costs
 * about ten requests once per resource) against the simulator in-process, in a fresh database.
 */
const STRATEGIES: Record<StrategyName, Record<string, boolean>> = {
  'keyset-modified': {},
  'keyset-created': { modifiedMin: false, modifiedMax: false },
  'page-number': { modifiedMin: false, modifiedMax: false, createdMin: false, createdMax: false, sortModifiedAsc: false, sortCreatedAsc: false },
};

const ALL_TRUE = Object.fromEntries(
  ['modifiedMin', 'modifiedMax', 'createdMin', 'createdMax', 'ids', 'sortModifiedAsc', 'sortModifiedDesc', 'sortCreatedAsc', 'sortCreatedDesc', 'stableTies'].map((name) => [name, true]),
);

interface Cost {
  strategy: StrategyName;
  full: number;
  incremental: number;
  reconcile: number;
  pages: number;
}

async function measure(ctx: BenchContext, strategy: StrategyName, records: number): Promise<Cost> {
  // Page numbers cannot pass the result cap: raised here so that the last-resort strategy can be measured at all.
  const cap = strategy === 'page-number' ? records * 2 : 100_000;
  const sim = await startSimulator({ records: 0, counts: { people: records }, seed: 3, cap });
  const db = await ctx.database(`request_cost_${strategy.replace(/-/g, '_')}`);
  const dataSource = await openDatabase(db.config);
  const config = benchConfig(db.url, sim.url, {
    SYNC_CAPABILITIES: JSON.stringify({ people: { ...ALL_TRUE, ...STRATEGIES[strategy] } }),
    SYNC_LOOKBACK_SECONDS: '0',
    UPSTREAM_RESULT_CAP: String(cap),
  });
  const engine = createSyncEngine({ config, dataSource, logger: silentLogger });
  try {
    const run = async (mode: 'full' | 'incremental') => {
      const [result] = await engine.trigger(['people'], mode, { wait: true });
      if (result.status !== 'succeeded') throw new Error(`${strategy} ${mode}: ${result.error}`);
      if (result.strategy !== strategy) throw new Error(`expected strategy ${strategy}, the run used ${result.strategy}`);
      return result;
    };
    const full = await run('full');
    const ids = sim.store.liveIds('people') as number[];
    const step = 100;
    for (let i = 0; i < ids.length; i += step) sim.store.modify('people', ids[i]);
    const incremental = await run('incremental');
    for (let i = 7; i < ids.length; i += 1_000) sim.store.remove('people', ids[i]);
    const reconcile = await run('full');
    return { strategy, full: full.requests, incremental: incremental.requests, reconcile: reconcile.requests, pages: full.pages };
  } finally {
    await engine.close();
    await dataSource.destroy();
    await sim.close();
  }
}

export async function runRequestCostBench(ctx: BenchContext): Promise<ScenarioResult> {
  const records = ctx.sizes.sync.records;
  const costs: Cost[] = [];
  for (const strategy of Object.keys(STRATEGIES) as StrategyName[]) {
    ctx.log(`request-cost: ${strategy}, ${fmt.int(records)} people`);
    costs.push(await measure(ctx, strategy, records));
  }
  const floor = Math.ceil(records / 200);
  const rows: TableRow[] = costs.flatMap((cost) => [
    { scenario: 'request-cost', measure: `${cost.strategy}: full sync of ${fmt.int(records)}`, ours: `${fmt.int(cost.full)} requests`, baseline: `one pass ${fmt.int(floor)}`, ratio: fmt.ratio(cost.full, floor) },
    { scenario: 'request-cost', measure: `${cost.strategy}: incremental after 1% changed`, ours: `${fmt.int(cost.incremental)} requests`, baseline: `changes / 200 = ${fmt.int(Math.ceil(records / 100 / 200))}` },
    { scenario: 'request-cost', measure: `${cost.strategy}: full reconcile after 0.1% deleted`, ours: `${fmt.int(cost.reconcile)} requests` },
  ]);
  return {
    scenario: 'request-cost',
    rows,
    data: { records, costs },
    notes: [
      'capabilities pinned by SYNC_CAPABILITIES (no probe; a probe costs about ten requests per resource, once). At 180 requests a minute, 1,000 requests take 5.6 minutes.',
      'page-number crawls twice (two crawls must agree) and is measured with the result cap raised above the data set; it cannot pass the real cap.',
    ],
  };
}

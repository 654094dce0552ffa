import type { RandomFaults } from '../src/simulator/index.js';
import type { DriftOptions } from '../src/simulator/index.js';
import type { BenchContext } from './lib/context.js';
import { GRAPHQL_ENV, operations } from './graphql.bench.js';
import { loadTest, queryOnce, type LoadResult } from './lib/load.js';
import { checkMirror, type MirrorCheck } from './lib/mirror-check.js';
import { fmt, type ScenarioResult } from './lib/report.js';
import type { RssReport } from './lib/rss.js';
import { startWorker } from './lib/worker.js';
import type { GraphqlServerInput, SyncLoopReport } from './workers/graphql-server.worker.js';

/**
 * Soak: the real server with its real sync engine in one process (as `serve` runs them),
 * GraphQL load on the four operations while incremental syncs run back to back against a
 * simulator injecting 429s, 5xx, resets, truncated bodies and drift. Then faults and drift
 * stop, a final incremental and full sync run, and the mirror must be exact.
 */
export const SOAK_FAULTS: RandomFaults = { rate: 0.05, kinds: ['429', '500', '502', '503', 'reset', 'truncated'], seed: 7 };
export const SOAK_DRIFT: DriftOptions = { everyRequests: 3, modify: 3, remove: 1, create: 1, scope: 'any', seed: 7 };

type SyncSummary = { resource: string; status: string; error: string | null }[];

export async function runSoakBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { records, seconds, quietSeconds, connections } = ctx.sizes.soak;
  const simulator = await startWorker<{ url: string }>('simulator.worker.ts', { records, seed: 3, hostile: true, faults: { retryAfterSeconds: 1 } });
  let quiet: LoadResult;
  let loaded: LoadResult;
  let loop: SyncLoopReport;
  let rssStart: RssReport;
  let rssEnd: RssReport;
  let finalRuns: SyncSummary;
  let mirror: MirrorCheck;
  let simStats: { requests: number; byStatus: Record<string, number>; drift: Record<string, number>; faults: Record<string, number> };
  try {
    const db = await ctx.database('soak');
    const input: GraphqlServerInput = {
      kind: 'real',
      databaseUrl: db.url,
      upstreamUrl: simulator.started.url,
      // Production retry policy (3 retries, backoff 2, 4, 8 s); no client-side rate limit.
      env: { ...GRAPHQL_ENV, UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000' },
    };
    const server = await startWorker<{ url: string }>('graphql-server.worker.ts', input);
    try {
      ctx.log(`soak: initial full sync of ${fmt.int(records)} hostile records`);
      const initial = await server.call<SyncSummary>('syncOnce', 'full');
      if (initial.some((r) => r.status !== 'succeeded')) throw new Error(`initial sync failed: ${JSON.stringify(initial)}`);
      const first = await queryOnce<{ data: { people: { nodes: { id: string }[] } } }>(server.started.url, { name: 'an id', query: '{ people(first: 1) { nodes { id } } }' });
      const ops = operations(first.data.people.nodes[0].id);

      ctx.log(`soak: ${quietSeconds} s of load without syncs`);
      await loadTest(server.started.url, ops, { seconds: 1, connections });
      quiet = await loadTest(server.started.url, ops, { seconds: quietSeconds, connections });

      ctx.log(`soak: ${seconds} s of load with incremental syncs back to back, faults and drift`);
      await simulator.call('setFaults', SOAK_FAULTS);
      await simulator.call('setDrift', SOAK_DRIFT);
      rssStart = await server.call<RssReport>('rss');
      await server.call('startSyncLoop');
      loaded = await loadTest(server.started.url, ops, { seconds, connections });
      loop = await server.call<SyncLoopReport>('stopSyncLoop');
      rssEnd = await server.call<RssReport>('rss');

      ctx.log('soak: faults and drift off, final incremental and full sync, mirror check');
      await simulator.call('setFaults', null);
      await simulator.call('setDrift', false);
      finalRuns = [...(await server.call<SyncSummary>('syncOnce', 'incremental')), ...(await server.call<SyncSummary>('syncOnce', 'full'))];
      mirror = await checkMirror(simulator.started.url, db.config);
      simStats = await simulator.call('stats');
    } finally {
      await server.stop();
    }
  } finally {
    await simulator.stop();
  }

  const errorsOf = (r: LoadResult) => r.non2xx + r.graphqlErrors + r.socketErrors;
  const errors = errorsOf(quiet) + errorsOf(loaded);
  const finalFailed = finalRuns.filter((r) => r.status !== 'succeeded');
  const injected = Object.values(simStats.faults).reduce((a, b) => a + b, 0);
  return {
    scenario: 'soak',
    rows: [
      { scenario: 'soak', measure: `GraphQL errors over ${fmt.int(quiet.requests + loaded.requests)} requests`, ours: fmt.int(errors), target: '0', met: errors === 0 },
      { scenario: 'soak', measure: `p99 (p50) with syncs, ${seconds} s`, ours: `${fmt.ms(loaded.p99)} (${fmt.ms(loaded.p50)})`, baseline: `without syncs ${fmt.ms(quiet.p99)} (${fmt.ms(quiet.p50)})`, ratio: fmt.ratio(loaded.p99, quiet.p99) },
      { scenario: 'soak', measure: 'req/s with syncs', ours: fmt.int(loaded.requestsPerSecond), baseline: `without ${fmt.int(quiet.requestsPerSecond)}`, ratio: fmt.ratio(loaded.requestsPerSecond, quiet.requestsPerSecond) },
      { scenario: 'soak', measure: `incremental runs during the load (failed)`, ours: `${fmt.int(loop.runs)} (${loop.failed})` },
      { scenario: 'soak', measure: 'mirror exact after final incremental + full', ours: mirror.exact ? 'exact' : 'NOT EXACT', met: mirror.exact && finalFailed.length === 0 },
      { scenario: 'soak', measure: 'server RSS at start / end of the load', ours: `${fmt.mb(rssStart.endMb)} / ${fmt.mb(rssEnd.endMb)}`, ratio: fmt.ratio(rssEnd.endMb, rssStart.endMb) },
    ],
    data: { records, seconds, quietSeconds, connections, quiet, loaded, loop, finalRuns, mirror, rssStart, rssEnd, simulator: simStats, faults: SOAK_FAULTS, drift: SOAK_DRIFT },
    notes: [
      `Hostile dataset of ${fmt.int(records)}; faults ${SOAK_FAULTS.rate * 100}% of requests (${SOAK_FAULTS.kinds.join(', ')}; ${fmt.int(injected)} injected), drift every ${SOAK_DRIFT.everyRequests} searches (${JSON.stringify(simStats.drift)}); load: the four GraphQL operations round robin, ${connections} connections.`,
      ...(loop.errors.length ? [`Failed runs during the load: ${loop.errors.join(' | ')}`] : []),
      ...(mirror.exact ? [] : [`Mirror differences: ${JSON.stringify(mirror.perResource)}`]),
    ],
  };
}

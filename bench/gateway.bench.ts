import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { startInvoicesSubgraph } from '../examples/invoices/server.js';
import { fillDatabase, GRAPHQL_ENV, NESTED_QUERY } from './graphql.bench.js';
import type { BenchContext } from './lib/context.js';
import { loadTest, queryOnce, type LoadResult, type Operation } from './lib/load.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import { startWorker } from './lib/worker.js';
import type { GraphqlServerInput } from './workers/graphql-server.worker.js';

/** The joined query: a page of companies from our subgraph, each with its invoices from the example service. */
const JOINED_QUERY = 'query Joined { companies(first: 50) { nodes { name invoices { id amount { cents currency } } } } }';

/** Rounds per endpoint, alternating, so drift of the machine hits both alike; the median is reported. */
const ROUNDS = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * What the gateway costs: one server process with SUPERGRAPH_CONFIG (our subgraph and the
 * example invoices subgraph), the nested query sent to `/graphql` (the supergraph, planned by
 * Hive Gateway, executed in process) and to `/subgraph` (Apollo alone) in alternating rounds
 * on the same warmed process; then the joined query, which crosses to the invoices service.
 */
export async function runGatewayBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { records, seconds, connections } = ctx.sizes.graphql;
  ctx.log(`gateway: filling a database with ${fmt.int(records)} records`);
  const db = await fillDatabase(ctx, 'gateway', records);
  const invoices = await startInvoicesSubgraph();
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-bench-gateway-'));
  const configPath = join(dir, 'supergraph.yaml');
  writeFileSync(configPath, `subgraphs:\n  invoices:\n    routing_url: ${invoices.url}\n    schema:\n      subgraph_url: ${invoices.url}\n`);
  const server = await startWorker<{ url: string }>('graphql-server.worker.ts', { kind: 'real', databaseUrl: db.url, env: { ...GRAPHQL_ENV, SUPERGRAPH_CONFIG: configPath } } satisfies GraphqlServerInput, {
    env: { NODE_ENV: 'production' },
  });
  const gatewayUrl = server.started.url;
  const subgraphUrl = gatewayUrl.replace(/\/graphql$/, '/subgraph');
  const nested: Operation = { name: 'nested 50 x 20 x 50', query: NESTED_QUERY };
  const joined: Operation = { name: 'joined: companies(50) with invoices', query: JOINED_QUERY };
  const gatewayRuns: LoadResult[] = [];
  const subgraphRuns: LoadResult[] = [];
  let joinedRun: LoadResult;
  let sameData: boolean;
  try {
    const answers = await Promise.all([queryOnce(gatewayUrl, nested), queryOnce(subgraphUrl, nested)]);
    sameData = isDeepStrictEqual(answers[0], answers[1]);
    if (!sameData) throw new Error('the gateway and the subgraph answer the nested query differently: the comparison would be meaningless');
    ctx.log('gateway: warming both endpoints');
    await loadTest(gatewayUrl, [nested], { seconds, connections });
    await loadTest(subgraphUrl, [nested], { seconds, connections });
    for (let round = 1; round <= ROUNDS; round++) {
      ctx.log(`gateway: round ${round} of ${ROUNDS}, nested query, ${seconds} s x ${connections} connections each`);
      subgraphRuns.push(await loadTest(subgraphUrl, [nested], { seconds, connections }));
      gatewayRuns.push(await loadTest(gatewayUrl, [nested], { seconds, connections }));
    }
    ctx.log('gateway: joined query across subgraphs');
    await loadTest(gatewayUrl, [joined], { seconds: 1, connections });
    joinedRun = await loadTest(gatewayUrl, [joined], { seconds, connections });
  } finally {
    await server.stop();
    await invoices.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const throughGateway = median(gatewayRuns.map((r) => r.requestsPerSecond));
  const alone = median(subgraphRuns.map((r) => r.requestsPerSecond));
  const errors = [...gatewayRuns, ...subgraphRuns, joinedRun!].reduce((sum, r) => sum + r.non2xx + r.graphqlErrors + r.socketErrors, 0);
  const rows: TableRow[] = [
    {
      scenario: 'gateway',
      measure: `nested 50 x 20 x 50 through the gateway (/graphql): req/s, median of ${ROUNDS}`,
      ours: `${fmt.int(throughGateway)} (rounds ${gatewayRuns.map((r) => fmt.int(r.requestsPerSecond)).join(', ')})`,
      baseline: `subgraph alone (/subgraph) ${fmt.int(alone)} (rounds ${subgraphRuns.map((r) => fmt.int(r.requestsPerSecond)).join(', ')})`,
      ratio: fmt.ratio(throughGateway, alone),
    },
    { scenario: 'gateway', measure: `${joined.name} (one _entities call to the invoices service): req/s (p50 / p99)`, ours: `${fmt.int(joinedRun!.requestsPerSecond)} (${fmt.ms(joinedRun!.p50)} / ${fmt.ms(joinedRun!.p99)})` },
    { scenario: 'gateway', measure: 'errors during the load (non-2xx, GraphQL errors, socket errors)', ours: fmt.int(errors), target: '0', met: errors === 0 },
    { scenario: 'gateway', measure: 'gateway and subgraph answer the nested query alike', ours: sameData! ? 'identical JSON' : 'DIFFERENT', met: sameData! },
  ];
  return {
    scenario: 'gateway',
    rows,
    data: { records, seconds, connections, rounds: ROUNDS, gatewayRuns, subgraphRuns, joined: joinedRun! },
    notes: [
      `${fmt.int(records)} records; one server process (NODE_ENV=production) with SUPERGRAPH_CONFIG listing the example invoices subgraph (in the orchestrator's process); autocannon ${seconds} s x ${connections} connections per round after a warm-up of each endpoint.`,
    ],
  };
}

import { isDeepStrictEqual } from 'node:util';
import type { BenchContext } from './lib/context.js';
import { loadTest, queryOnce, type LoadResult, type Operation } from './lib/load.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import type { RssReport } from './lib/rss.js';
import { startWorker, type BenchWorker } from './lib/worker.js';
import type { CeilingInput, CeilingResult } from './workers/ceiling.worker.js';
import type { GraphqlServerInput } from './workers/graphql-server.worker.js';

/**
 * GraphQL throughput: N records in MariaDB (filled by the ceiling inserter), the real server
 * in its own process on 127.0.0.1, autocannon on four operations. For the nested query, the
 * naive baseline (per-parent resolvers, no loaders) and the ceiling (four hand-written
 * statements) beside it, after checking the three answer the same JSON.
 */
export const NESTED_QUERY = 'query Nested { companies(first: 50) { nodes { people(first: 20) { nodes { opportunities { nodes { company { name } } } } } } } }';

export function operations(personId: string): Operation[] {
  return [
    { name: 'one record by id', query: 'query ById($id: ID!) { person(id: $id) { id name title companyName dateModified } }', variables: { id: personId } },
    { name: 'flat page of 50', query: 'query Flat { people(first: 50) { nodes { id name } } }' },
    { name: 'nested 50 x 20 x 50', query: NESTED_QUERY },
    { name: 'grouped stats', query: 'query Stats { opportunityStats(groupBy: [STATUS]) { key { status } count monetaryValue { sum avg min max } winProbability { avg } } }' },
  ];
}

/**
 * The nested query with a filter on its root list, sent as a literal (compiled by graphql-jit)
 * and as a variable, as frontends send filters (an input object: interpreted by graphql-js, see
 * src/server/jit-safety.ts). The two rows put a number on that decision.
 */
const NESTED_FILTERED = (where: string) =>
  `companies(first: 50, where: ${where}) { nodes { people(first: 20) { nodes { opportunities { nodes { company { name } } } } } } }`;

export const FILTER_OPERATIONS: readonly Operation[] = [
  { name: 'nested, filter as a literal (compiled)', query: `query NestedLiteral { ${NESTED_FILTERED('{ id: { gte: "0" } }')} }` },
  { name: 'nested, filter as a variable (interpreted)', query: `query NestedVariable($w: CompanyWhere) { ${NESTED_FILTERED('$w')} }`, variables: { w: { id: { gte: '0' } } } },
];

/**
 * The nested query's cost by the server's own estimator (50 x 20 x 50 nested pages) is above
 * the default GRAPHQL_MAX_COST of 50,000: the benchmark raises the limit, as a deployment
 * serving this query would.
 */
export const GRAPHQL_ENV = { GRAPHQL_MAX_COST: '1000000', LOG_LEVEL: 'warn', GRAPHQL_MASK_ERRORS: 'false' };

type ServerWorker = BenchWorker<{ url: string }>;

/** HS256 for the bench's JWT server: a secret of its own, 32 bytes or more, not a credential anywhere. */
const BENCH_JWT_SECRET = 'mirrorgraph-bench-jwt-secret-not-for-production';

/** A token that holds every read scope, valid for the length of any run. */
async function benchToken(): Promise<string> {
  const { SignJWT } = await import('jose');
  return new SignJWT({ scope: 'read:people read:companies read:opportunities read:projects read:pii' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
}

/** Every server runs as deployed: NODE_ENV=production also turns off graphql-js's development-only checks. */
async function startServer(ctx: BenchContext, input: GraphqlServerInput, profileName?: string): Promise<ServerWorker> {
  return startWorker<{ url: string }>('graphql-server.worker.ts', input, {
    env: { NODE_ENV: 'production' },
    cpuProfileDir: profileName ? ctx.profileDir : undefined,
    cpuProfileName: profileName,
  });
}

interface Measured {
  load: LoadResult;
  statements: number;
}

/** Slow baselines get at least this long, so a tiny run still completes a few requests. */
const MIN_BASELINE_SECONDS = 5;

async function measure(server: ServerWorker, operation: Operation, ctx: BenchContext, minSeconds = 0): Promise<Measured> {
  const { connections } = ctx.sizes.graphql;
  const seconds = Math.max(ctx.sizes.graphql.seconds, minSeconds);
  await queryOnce(server.started.url, operation);
  const counted = await server.call<{ status: number; statements: number }>('countStatements', { query: operation.query, variables: operation.variables ?? {}, headers: operation.headers });
  // Warm-up (JIT, pools, buffer pool), not measured.
  await loadTest(server.started.url, [operation], { seconds: 1, connections });
  const load = await loadTest(server.started.url, [operation], { seconds, connections });
  return { load, statements: counted.statements };
}

export async function fillDatabase(ctx: BenchContext, name: string, records: number, hostile = false) {
  const db = await ctx.database(name);
  const input: CeilingInput = { databaseUrl: db.url, records, seed: 1, hostile };
  const filler = await startWorker<CeilingResult>('ceiling.worker.ts', input);
  await filler.stop();
  return db;
}

export async function runGraphqlBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { records, seconds, connections } = ctx.sizes.graphql;
  ctx.log(`graphql: filling a database with ${fmt.int(records)} records`);
  const db = await fillDatabase(ctx, 'graphql', records);

  const real = await startServer(ctx, { kind: 'real', databaseUrl: db.url, env: GRAPHQL_ENV });
  // The same server with AUTH_MODE=jwt: every request verifies a bearer token and checks scopes.
  const secured = await startServer(ctx, { kind: 'real', databaseUrl: db.url, env: { ...GRAPHQL_ENV, AUTH_MODE: 'jwt', AUTH_JWT_SECRET: BENCH_JWT_SECRET } });
  const bearer = { authorization: `Bearer ${await benchToken()}` };
  // The same server on the per-level loaders (GRAPHQL_SQL_COMPILE=off): what one statement per query buys.
  const loaders = await startServer(ctx, { kind: 'real', databaseUrl: db.url, env: { ...GRAPHQL_ENV, GRAPHQL_SQL_COMPILE: 'off' } });
  const naive = await startServer(ctx, { kind: 'naive', databaseUrl: db.url });
  const ceiling = await startServer(ctx, { kind: 'ceiling', databaseUrl: db.url });
  const measured = new Map<string, Measured>();
  let realRss: RssReport;
  let naiveNested: Measured;
  let ceilingNested: Measured;
  let securedNested: Measured;
  let loadersNested: Measured;
  let sameData: boolean;
  const ops = operations('0');
  try {
    const first = await queryOnce<{ data: { people: { nodes: { id: string }[] } } }>(real.started.url, { name: 'an id', query: '{ people(first: 1) { nodes { id } } }' });
    ops.splice(0, ops.length, ...operations(first.data.people.nodes[0].id));
    const nested = ops.find((op) => op.query === NESTED_QUERY)!;
    const answers = await Promise.all([real, naive, ceiling, loaders].map((server) => queryOnce(server.started.url, nested)));
    sameData = answers.every((answer) => isDeepStrictEqual(answer, answers[0]));
    if (!sameData) throw new Error('the real, naive, ceiling and loader servers answer the nested query differently: the comparison would be meaningless');

    for (const operation of [...ops, ...FILTER_OPERATIONS]) {
      ctx.log(`graphql: ${operation.name}, ${seconds} s x ${connections} connections`);
      measured.set(operation.name, await measure(real, operation, ctx));
    }
    realRss = await real.call<RssReport>('rss');
    ctx.log('graphql: nested query with AUTH_MODE=jwt');
    // A fresh process: warmed as long as the open server was by the operations before, or V8's
    // tiering, not the authentication, would make the difference.
    await loadTest(secured.started.url, [{ ...nested, headers: bearer }], { seconds: seconds * ops.length, connections });
    securedNested = await measure(secured, { ...nested, headers: bearer }, ctx);
    ctx.log('graphql: nested query on the loaders (GRAPHQL_SQL_COMPILE=off)');
    await loadTest(loaders.started.url, [nested], { seconds: seconds * ops.length, connections });
    loadersNested = await measure(loaders, nested, ctx);
    ctx.log('graphql: nested query on the naive server');
    naiveNested = await measure(naive, nested, ctx, MIN_BASELINE_SECONDS);
    ctx.log('graphql: nested query on the ceiling server');
    ceilingNested = await measure(ceiling, nested, ctx);
  } finally {
    await Promise.allSettled([real.stop(), secured.stop(), loaders.stop(), naive.stop(), ceiling.stop()]);
  }

  if (ctx.profileDir) {
    ctx.log('graphql: profiling the nested query on the real server');
    const profiled = await startServer(ctx, { kind: 'real', databaseUrl: db.url, env: GRAPHQL_ENV }, 'graphql-nested.cpuprofile');
    try {
      await loadTest(profiled.started.url, [ops[2]], { seconds, connections });
    } finally {
      await profiled.stop();
    }
  }

  const rows: TableRow[] = [];
  for (const operation of [...ops, ...FILTER_OPERATIONS]) {
    const m = measured.get(operation.name)!;
    rows.push({
      scenario: 'graphql',
      measure: `${operation.name}: req/s (p50 / p99; SQL per request)`,
      ours: `${fmt.int(m.load.requestsPerSecond)} (${fmt.ms(m.load.p50)} / ${fmt.ms(m.load.p99)}; ${m.statements})`,
      ...(operation.query === NESTED_QUERY
        ? { baseline: `naive ${fmt.int(naiveNested.load.requestsPerSecond)} (${fmt.ms(naiveNested.load.p50)} / ${fmt.ms(naiveNested.load.p99)}; ${naiveNested.statements})`, ratio: fmt.ratio(m.load.requestsPerSecond, naiveNested.load.requestsPerSecond), target: '>= 10x naive', met: naiveNested.load.requests > 0 ? m.load.requestsPerSecond >= 10 * naiveNested.load.requestsPerSecond : null }
        : {}),
    });
    if (operation.query === NESTED_QUERY) {
      rows.push({
        scenario: 'graphql',
        measure: `${operation.name}: req/s with AUTH_MODE=jwt (a verified token, every scope checked)`,
        ours: `${fmt.int(securedNested!.load.requestsPerSecond)} (${fmt.ms(securedNested!.load.p50)} / ${fmt.ms(securedNested!.load.p99)}; ${securedNested!.statements})`,
        baseline: `AUTH_MODE=none ${fmt.int(m.load.requestsPerSecond)}`,
        ratio: fmt.ratio(securedNested!.load.requestsPerSecond, m.load.requestsPerSecond),
      });
      rows.push({
        scenario: 'graphql',
        measure: `${operation.name}: req/s, one compiled statement vs the per-level loaders`,
        ours: `${fmt.int(m.load.requestsPerSecond)} (${m.statements})`,
        baseline: `loaders ${fmt.int(loadersNested!.load.requestsPerSecond)} (${fmt.ms(loadersNested!.load.p50)} / ${fmt.ms(loadersNested!.load.p99)}; ${loadersNested!.statements})`,
        ratio: fmt.ratio(m.load.requestsPerSecond, loadersNested!.load.requestsPerSecond),
      });
      rows.push({
        scenario: 'graphql',
        measure: `${operation.name}: req/s vs ceiling`,
        ours: fmt.int(m.load.requestsPerSecond),
        baseline: `ceiling ${fmt.int(ceilingNested.load.requestsPerSecond)} (${fmt.ms(ceilingNested.load.p50)} / ${fmt.ms(ceilingNested.load.p99)}; ${ceilingNested.statements})`,
        ratio: fmt.ratio(m.load.requestsPerSecond, ceilingNested.load.requestsPerSecond),
        target: '>= 0.50x ceiling',
        met: m.load.requestsPerSecond >= 0.5 * ceilingNested.load.requestsPerSecond,
      });
    }
  }
  const errors = [...measured.values(), naiveNested!, ceilingNested!, securedNested!, loadersNested!].reduce((sum, m) => sum + m.load.non2xx + m.load.graphqlErrors + m.load.socketErrors, 0);
  rows.push({ scenario: 'graphql', measure: 'errors during the load (non-2xx, GraphQL errors, socket errors)', ours: fmt.int(errors), target: '0', met: errors === 0 });
  rows.push({ scenario: 'graphql', measure: 'real, loaders, naive and ceiling answer the nested query alike', ours: sameData! ? 'identical JSON' : 'DIFFERENT', met: sameData! });
  return {
    scenario: 'graphql',
    rows,
    data: { records, seconds, connections, operations: Object.fromEntries(measured), naiveNested: naiveNested!, ceilingNested: ceilingNested!, realServerRss: realRss! },
    notes: [
      `${fmt.int(records)} records; autocannon ${seconds} s per operation after a 1 s warm-up, ${connections} connections, from the orchestrator process; servers in their own processes; GRAPHQL_MAX_COST raised to 1,000,000 (the nested query costs about 152,000, near the default 250,000), NODE_ENV=production for every server.`,
      `Real server RSS after the load: ${fmt.mb(realRss!.endMb)} (peak ${fmt.mb(realRss!.maxRssMb)}).`,
    ],
  };
}

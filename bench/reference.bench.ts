import mysql from 'mysql2/promise';
import type { BenchContext } from './lib/context.js';
import { loadTest, queryOnce, type Operation } from './lib/load.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import { startWorker } from './lib/worker.js';
import type { GraphqlServerInput } from './workers/graphql-server.worker.js';
import { fillDatabase, GRAPHQL_ENV, NESTED_QUERY } from './graphql.bench.js';

/**
 * What the relations into the reference data cost: the nested benchmark query as it is, and
 * with each level's lookups selected too (a person's contact type and owner, an opportunity's
 * stage with its pipeline, owner and source), on the same server and data. The lookups are
 * filled from the ids the records hold, so every relation finds its row.
 */
const WITH_REFERENCES =
  'query NestedWithReferences { companies(first: 50) { nodes { assignee { name } people(first: 20) { nodes { contactType { name } assignee { name } opportunities { nodes { company { name } pipelineStage { name pipeline { name } } assignee { name } customerSource { name } } } } } } } }';

const OPERATIONS: readonly Operation[] = [
  { name: 'nested 50 x 20 x 50, no reference data selected', query: NESTED_QUERY },
  { name: 'nested 50 x 20 x 50, with stage, pipeline, owner, source and contact type', query: WITH_REFERENCES },
];

/** One row per id the records point at, in each lookup table. */
async function fillReferenceData(url: string): Promise<Record<string, number>> {
  const connection = await mysql.createConnection({ uri: url });
  const now = new Date();
  const lookups: [table: string, select: string][] = [
    ['users', 'SELECT assignee_id AS id FROM people UNION SELECT assignee_id FROM companies UNION SELECT assignee_id FROM opportunities'],
    ['pipelines', 'SELECT pipeline_id AS id FROM opportunities'],
    ['pipeline_stages', 'SELECT pipeline_stage_id AS id FROM opportunities'],
    ['contact_types', 'SELECT contact_type_id AS id FROM people UNION SELECT contact_type_id FROM companies'],
    ['customer_sources', 'SELECT customer_source_id AS id FROM opportunities'],
  ];
  const counts: Record<string, number> = {};
  try {
    const [pipelines] = await connection.query<mysql.RowDataPacket[]>('SELECT DISTINCT pipeline_id AS id FROM opportunities WHERE pipeline_id IS NOT NULL ORDER BY id');
    for (const [table, select] of lookups) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT DISTINCT id FROM (${select}) ids WHERE id IS NOT NULL`);
      const extra = table === 'pipeline_stages' ? ', pipeline_id' : '';
      const values = rows.map((r, i) => {
        const id = String(r.id);
        const base = [id, `${table} ${id}`, JSON.stringify({ id: Number(id), name: `${table} ${id}` }), now];
        return table === 'pipeline_stages' ? [...base, pipelines.length ? String(pipelines[i % pipelines.length].id) : null] : base;
      });
      if (values.length) await connection.query(`INSERT INTO ${table} (id, name, raw, synced_at${extra}) VALUES ?`, [values]);
      counts[table] = values.length;
    }
  } finally {
    await connection.end();
  }
  return counts;
}

export async function runReferenceBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { records, seconds, connections } = ctx.sizes.graphql;
  ctx.log(`reference: filling a database with ${fmt.int(records)} records and their reference data`);
  const db = await fillDatabase(ctx, 'reference', records);
  const counts = await fillReferenceData(db.url);
  ctx.log(`reference: lookups ${JSON.stringify(counts)}`);
  const input: GraphqlServerInput = { kind: 'real', databaseUrl: db.url, env: GRAPHQL_ENV };
  const server = await startWorker<{ url: string }>('graphql-server.worker.ts', input, { env: { NODE_ENV: 'production' } });
  const rows: TableRow[] = [];
  const data: Record<string, unknown> = { records, seconds, connections, lookups: counts };
  try {
    const answers = await Promise.all(OPERATIONS.map((op) => queryOnce<{ errors?: unknown[] }>(server.started.url, op)));
    const failed = answers.find((a) => a.errors);
    if (failed) throw new Error(`the reference bench's queries fail: ${JSON.stringify(failed.errors).slice(0, 300)}`);
    const results = [];
    for (const operation of OPERATIONS) {
      ctx.log(`reference: ${operation.name}, ${seconds} s x ${connections} connections`);
      await loadTest(server.started.url, [operation], { seconds: 1, connections });
      const counted = await server.call<{ status: number; statements: number }>('countStatements', { query: operation.query, variables: {}, headers: undefined });
      results.push({ operation, load: await loadTest(server.started.url, [operation], { seconds, connections }), statements: counted.statements });
    }
    const [without, withReferences] = results;
    data.operations = Object.fromEntries(results.map((r) => [r.operation.name, { load: r.load, statements: r.statements }]));
    for (const r of results) {
      rows.push({ scenario: 'reference', measure: `${r.operation.name}: req/s (p50 / p99; SQL per request)`, ours: `${fmt.int(r.load.requestsPerSecond)} (${fmt.ms(r.load.p50)} / ${fmt.ms(r.load.p99)}; ${r.statements})` });
    }
    rows.push({
      scenario: 'reference',
      measure: 'nested with the reference data selected, against without',
      ours: fmt.int(withReferences.load.requestsPerSecond),
      baseline: `without ${fmt.int(without.load.requestsPerSecond)}`,
      ratio: fmt.ratio(withReferences.load.requestsPerSecond, without.load.requestsPerSecond),
    });
    const errors = results.reduce((sum, r) => sum + r.load.non2xx + r.load.graphqlErrors + r.load.socketErrors, 0);
    rows.push({ scenario: 'reference', measure: 'errors during the load (non-2xx, GraphQL errors, socket errors)', ours: fmt.int(errors), target: '0', met: errors === 0 });
  } finally {
    await server.stop();
  }
  return {
    scenario: 'reference',
    rows,
    data,
    notes: [`${fmt.int(records)} records and one lookup row per id they hold; autocannon ${seconds} s per operation after a 1 s warm-up, ${connections} connections; one server process, NODE_ENV=production.`],
  };
}

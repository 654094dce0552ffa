import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../src/observability/metrics.js';
import { startHarness, type Harness } from '../graphql/support/harness.js';
import { BIG_ID } from '../graphql/support/seed.js';

const jitRuns = async (): Promise<number> => {
  const metric = await registry.getSingleMetric('mirrorgraph_graphql_executions_total')?.get();
  return metric?.values.find((v) => v.labels.executor === 'jit')?.value ?? 0;
};

/** Operations a frontend sends, with variables of scalar and input types (each run twice). */
const OPERATIONS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ companies(first: 4, orderBy: [{ field: ID }]) { totalCount nodes { id name people(first: 2) { nodes { name company { name } } } } pageInfo { hasNextPage endCursor } } }' },
  { query: 'query($id: ID!) { company(id: $id) { id name } }', variables: { id: BIG_ID } },
  { query: 'query($w: PersonWhere, $o: [PersonOrderBy!]) { people(first: 3, where: $w, orderBy: $o) { nodes { id name } } }', variables: { w: { NOT: { name: { eq: 'nobody' } } }, o: [{ field: 'NAME', direction: 'DESC' }] } },
  { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { id name } } }', variables: { r: [{ __typename: 'Company', id: '1' }] } },
  { query: '{ opportunityStats(groupBy: [STATUS]) { key { status } count } }' },
];

describe('the gateway over our subgraph alone, in process', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-in-process-'));
    writeFileSync(join(dir, 'supergraph.yaml'), 'subgraphs: {}\n');
    h = await startHarness('sqlite', { env: { SUPERGRAPH_CONFIG: join(dir, 'supergraph.yaml'), GRAPHQL_JIT_AFTER: '1' } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const through = async (path: '/graphql' | '/subgraph', operation: (typeof OPERATIONS)[number]) => {
    const response = await h.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(operation) });
    const body = response.json() as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    // Request ids differ by request, as they should.
    for (const error of body.errors ?? []) delete error.extensions?.requestId;
    return { status: response.statusCode, body };
  };

  it('answers like /subgraph, on every run, with variables of input types too', async () => {
    for (const operation of OPERATIONS.filter((o) => !o.query.includes('_entities'))) {
      const alone = await through('/subgraph', operation);
      expect(alone.body.errors, operation.query).toBeUndefined();
      for (let run = 0; run < 3; run++) expect(await through('/graphql', operation), `${operation.query} run ${run}`).toEqual(alone);
    }
  });

  it('compiles a repeated plan step with graphql-jit, as /subgraph compiles a repeated operation', async () => {
    const before = await jitRuns();
    // No input-object arguments: the gateway passes arguments on as variables, and a variable of an input type is never compiled (jit-safety.ts).
    const operation = { query: '{ companies(first: 4) { nodes { id name people(first: 2) { nodes { name } } } } }' };
    for (let run = 0; run < 4; run++) expect((await through('/graphql', operation)).body.errors).toBeUndefined();
    expect((await jitRuns()) - before).toBeGreaterThanOrEqual(2);
  });

  it('does not expose _entities or _service on the composed graph', async () => {
    const entities = await through('/graphql', OPERATIONS.find((o) => o.query.includes('_entities'))!);
    expect(entities.body.errors?.[0]?.message).toMatch(/_Any|_entities/);
  });
});

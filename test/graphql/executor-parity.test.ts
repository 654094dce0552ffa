import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlExecutions } from '../../src/observability/metrics.js';
import { buildMirrorSchema } from '../../src/schema/build-schema.js';
import { DIALECTS } from '../support/databases.js';
import { startHarness, type Harness } from './support/harness.js';
import { inputVariableCases } from './support/input-samples.js';


/**
 * The server runs operations compiled by graphql-jit (from a document's second run) and
 * interpreted by graphql-js (its first run, or GRAPHQL_EXECUTOR=graphql-js). Both must answer
 * every request alike, errors included: the same operations go to one server that always
 * compiles and one that never does, and the responses are compared whole. Both run on the
 * loaders (GRAPHQL_SQL_COMPILE=off): the one-statement SQL path, which answers before either
 * executor, has its own parity test (compiled-parity.test.ts).
 */
const OPERATIONS: { name: string; query: string; variables?: Record<string, unknown>; errors?: true }[] = [
  { name: 'nested relations', query: '{ companies(first: 20) { nodes { id name people(first: 5) { totalCount nodes { id company { name } opportunities { nodes { id status primaryContact { id } } } } } } } }' },
  { name: 'union and fragments', query: '{ projects(first: 50, includeDeleted: true) { nodes { id ...P relatedRecord { __typename ... on Person { id title } ... on Company { id address { city } } ... on Opportunity { id monetaryValue } } } } } fragment P on Project { name deletedAt }' },
  {
    name: '@include and @skip with variables',
    query: 'query($a: Boolean!, $b: Boolean!) { people(first: 20) { edges { cursor node { id name @include(if: $a) title @skip(if: $b) } } pageInfo { hasNextPage endCursor } } }',
    variables: { a: true, b: true },
  },
  { name: 'filters, order and paging', query: '{ opportunities(first: 7, where: { monetaryValue: { gte: 10 } }, orderBy: [{ field: MONETARY_VALUE, direction: DESC }]) { totalCount nodes { id monetaryValue closeDate } pageInfo { hasNextPage endCursor } } }' },
  { name: 'stats', query: '{ opportunityStats(groupBy: [STATUS]) { key { status } count monetaryValue { sum avg min max } } }' },
  { name: 'scalars and JSON', query: '{ opportunity(id: "202") { id monetaryValue closeDate dateModified raw syncedAt customFields { customFieldDefinitionId value } tags } }' },
  { name: 'a malformed cursor (error as data)', query: '{ people(first: 2, after: "not-a-cursor") { nodes { id } } }', errors: true },
  { name: 'an id that is not a number (null)', query: '{ a: person(id: "x") { id } b: person(id: "101") { id name } }' },
  { name: 'a variable of the wrong type', query: 'query($n: Int) { people(first: $n) { nodes { id } } }', variables: { n: 'ten' }, errors: true },
  { name: 'a missing required variable', query: 'query($id: ID!) { person(id: $id) { id } }', variables: {}, errors: true },
  { name: 'resync without a token', query: 'mutation { resync { resource } }', errors: true },
  { name: 'federation entities', query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name } ... on Company { id name } } }', variables: { r: [{ __typename: 'Person', id: '101' }, { __typename: 'Company', id: '1' }, { __typename: 'Person', id: '999999' }] } },
];

/** A response without what differs per request by design. */
function comparable(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'requestId' || key === 'stacktrace' ? undefined : value));
}

describe.each(DIALECTS)('graphql-jit and graphql-js answer alike on %s', async (dialect) => {
  /** Every input type of the schema as a variable (filters are what frontends send as variables). */
  const inputCases = inputVariableCases(await buildMirrorSchema());
  let compiled: Harness;
  let interpreted: Harness;
  beforeAll(async () => {
    compiled = await startHarness(dialect, { env: { GRAPHQL_JIT_AFTER: '0', GRAPHQL_SQL_COMPILE: 'off' } });
    interpreted = await startHarness(dialect, { env: { GRAPHQL_EXECUTOR: 'graphql-js', GRAPHQL_SQL_COMPILE: 'off' } });
  });
  afterAll(async () => {
    await compiled?.close();
    await interpreted?.close();
  });

  it.each(OPERATIONS)('$name', async ({ query, variables, errors }) => {
    const [jit, js] = [await compiled.gql(query, variables), await interpreted.gql(query, variables)];
    expect(Boolean(js.body.errors?.length), JSON.stringify(js.body.errors)).toBe(Boolean(errors));
    expect(jit.status).toBe(js.status);
    expect(comparable(jit.body)).toEqual(comparable(js.body));
    // Run it again: the second run of a document is compiled even with the default GRAPHQL_JIT_AFTER.
    expect(comparable((await compiled.gql(query, variables)).body)).toEqual(comparable(js.body));
  });

  it.each(inputCases)('a variable of every input type, twice: $name', async ({ query, variables }) => {
    const js = await interpreted.gql(query, variables);
    expect(js.body.errors, JSON.stringify(js.body.errors)).toBeUndefined();
    for (let run = 1; run <= 2; run++) {
      const jit = await compiled.gql(query, variables);
      expect(jit.status).toBe(js.status);
      expect(comparable(jit.body)).toEqual(comparable(js.body));
    }
  });

  // Two operations: when a non-null root field fails, graphql-js answers at once and drops the
  // errors of fields still running, graphql-jit waits and lists them too (both as the spec allows).
  it.each([
    { where: 'a nullable field (data kept, one error per parent)', query: '{ people(first: 3) { nodes { id company { name } } } }' },
    { where: 'a non-null root field (data null)', query: '{ companies(first: 2) { nodes { id } } }' },
  ])('reports an internal error (a table gone) in $where alike: same data, paths, locations and codes', async ({ query }) => {
    const shapeOf = (body: { data?: unknown; errors?: { path?: unknown; locations?: unknown; extensions?: Record<string, unknown> }[] }) => ({
      data: body.data,
      // The spec leaves the order of errors open: compared as a set.
      errors: body.errors?.map((e) => ({ path: e.path, locations: e.locations, code: e.extensions?.code })).sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path))),
    });
    const answers = [];
    for (const h of [compiled, interpreted]) {
      await h.dataSource.query('ALTER TABLE companies RENAME TO companies_away');
      try {
        answers.push(shapeOf((await h.gql(query)).body));
      } finally {
        await h.dataSource.query('ALTER TABLE companies_away RENAME TO companies');
      }
    }
    expect(answers[0].errors?.length).toBeGreaterThan(0);
    expect(answers[0].errors?.every((e) => e.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
    expect(answers[0]).toEqual(answers[1]);
  });

  it('compiles where configured: every run with GRAPHQL_JIT_AFTER=0, none with GRAPHQL_EXECUTOR=graphql-js, from the second by default', async () => {
    const query = `{ people(first: 3) { nodes { id name } } }`;
    // The counter /metrics serves (one registry per process, so counted as differences).
    const executions = async (): Promise<Record<string, number>> => {
      const { values } = await graphqlExecutions.get();
      const count = (executor: string) => values.find((v) => v.labels.executor === executor)?.value ?? 0;
      return { jit: count('jit'), js: count('graphql-js') };
    };
    const delta = async (h: Harness, query: string, runs: number) => {
      const before = await executions();
      for (let i = 0; i < runs; i++) expect((await h.gql(query)).body.errors).toBeUndefined();
      const after = await executions();
      return { jit: after.jit - before.jit, js: after.js - before.js };
    };
    expect(await delta(compiled, query, 3)).toEqual({ jit: 3, js: 0 });
    expect(await delta(interpreted, query, 3)).toEqual({ jit: 0, js: 3 });
    // An input object as a variable is never compiled (see jit-safety.ts); scalars and enums are.
    const filtered = 'query($w: PersonWhere) { people(first: 3, where: $w) { nodes { id } } }';
    const ordered = 'query($o: [PersonOrderBy!]) { people(first: 3, orderBy: $o) { nodes { id } } }';
    const paged = 'query($n: Int, $d: Boolean!) { people(first: $n) { nodes { id name @include(if: $d) } } }';
    const run = async (q: string, variables: Record<string, unknown>) => {
      const before = await executions();
      for (let i = 0; i < 3; i++) expect((await compiled.gql(q, variables)).body.errors).toBeUndefined();
      const after = await executions();
      return { jit: after.jit - before.jit, js: after.js - before.js };
    };
    expect(await run(filtered, { w: { name: { contains: 'a' } } })).toEqual({ jit: 0, js: 3 });
    expect(await run(ordered, { o: [{ field: 'NAME' }] })).toEqual({ jit: 0, js: 3 });
    expect(await run(paged, { n: 2, d: true })).toEqual({ jit: 3, js: 0 });
    const byDefault = await startHarness(dialect, { seed: false, env: { GRAPHQL_JIT_AFTER: '1', GRAPHQL_SQL_COMPILE: 'off' } });
    try {
      expect(await delta(byDefault, `{ companies(first: 2) { nodes { id } } }`, 3)).toEqual({ jit: 2, js: 1 });
    } finally {
      await byDefault.close();
    }
  });
});

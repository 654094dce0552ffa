import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';

/**
 * Client input that once reached a 5xx, an INTERNAL_SERVER_ERROR, gigabytes of memory or a
 * hang: each is refused with a client error now, and the server answers the next request.
 * Filters go as variables, as frontends send them.
 */
const deepAnd = (levels: number): Record<string, unknown> => {
  let where: Record<string, unknown> = { name: { contains: 'a' } };
  for (let i = 0; i < levels; i++) where = { AND: [where] };
  return where;
};
/** The same as JSON text, built by hand: JSON.stringify itself overflows the stack on 5,000 levels. */
const deepAndJson = (levels: number): string => `${'{"AND":['.repeat(levels)}{"name":{"contains":"a"}}${']}'.repeat(levels)}`;
const idList = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => String(from + i));

describe.each(DIALECTS)('hostile input on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    // The default cost limit, not the suite's raised one.
    h = await startHarness(dialect, { env: { GRAPHQL_MAX_COST: '250000' } });
  });
  afterAll(async () => h?.close());

  const stillServing = async () => expect(dataOf(await h.gql('{ people(first: 1) { nodes { id } } }')).people).toBeDefined();
  const post = async (payload: string) => {
    const response = await h.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload });
    return { status: response.statusCode, text: response.body, body: response.json() as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  /** Variables as an object, or as JSON text already. */
  const refused = async (query: string, variables: Record<string, unknown> | string | undefined, status: number, code: string, message: RegExp) => {
    for (let run = 1; run <= 2; run++) {
      const response = typeof variables === 'string' ? await post(`{"query":${JSON.stringify(query)},"variables":${variables}}`) : await h.gql(query, variables);
      expect(response.status, response.text.slice(0, 300)).toBe(status);
      expect(response.body.errors?.[0]?.extensions?.code, response.text.slice(0, 300)).toBe(code);
      expect(response.body.errors?.[0]?.message).toMatch(message);
    }
    await stillServing();
  };

  it('refuses a float literal that parses to Infinity, in a filter and in a list', async () => {
    await refused('{ opportunities(where: { monetaryValue: { gt: 1e309 } }) { nodes { id } } }', undefined, 400, 'GRAPHQL_VALIDATION_FAILED', /finite number, got 1e309/);
    await refused('{ opportunityStats(where: { monetaryValue: { in: [1, -1e400] } }) { count } }', undefined, 400, 'GRAPHQL_VALIDATION_FAILED', /finite number/);
  });

  it('refuses a 5,000-deep AND sent as a variable, and a 12-deep one past the filter depth', async () => {
    const query = 'query($w: CompanyWhere) { companies(first: 1, where: $w) { nodes { id } } }';
    await refused(query, `{"w":${deepAndJson(5_000)}}`, 400, 'BAD_USER_INPUT', /nested more than 32 levels/);
    await refused(query, { w: deepAnd(12) }, 200, 'BAD_USER_INPUT', /nested more than 10 levels/);
    expect(dataOf(await h.gql(query, { w: deepAnd(8) })).companies).toBeDefined();
  });

  it('bounds the values a filter binds: 240 x in:[1000 ids], 25 x 1000, 8 x 1000, and lets 4 x 1000 run', async () => {
    const query = 'query($w: PersonWhere) { people(first: 5, where: $w) { nodes { id } } }';
    const ors = (lists: number) => ({ w: { OR: Array.from({ length: lists }, (_, i) => ({ id: { in: idList(1000, i * 1000) } })) } });
    // Past the body limit (1 MB) before any GraphQL: refused as a bad request.
    await refused(query, ors(240), 413, 'BAD_REQUEST', /Request body is too large/);
    await refused(query, ors(25), 400, 'BAD_USER_INPUT', /more than 20000 values/);
    await refused(query, ors(8), 200, 'BAD_USER_INPUT', /more than 5000 values/);
    const allowed = dataOf<{ people: { nodes: { id: string }[] } }>(await h.gql(query, ors(4)));
    expect(allowed.people.nodes.length).toBeGreaterThan(0);
  });

  it('rejects 5,000 values of the wrong type in a variable with a bounded number of errors made, twice', async () => {
    // The fuzz test found the server blocked for seconds here: two checks collected a
    // GraphQLError, and a stack trace, per bad value. Counted, not timed: each error captures one.
    const list = Array.from({ length: 999 }, (_, i) => i);
    const where = { OR: Array.from({ length: 5 }, () => ({ name: { notIn: list } })) };
    const capture = vi.spyOn(Error, 'captureStackTrace');
    try {
      for (let run = 0; run < 2; run++) {
        capture.mockClear();
        const response = await h.gql('query($w: OpportunityWhere) { opportunities(where: $w) { nodes { id } } }', { w: where });
        expect(response.body.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
        expect(response.text.length).toBeLessThan(20_000);
        expect(capture.mock.calls.length, `stack traces captured on run ${run + 1}`).toBeLessThan(500);
      }
    } finally {
      capture.mockRestore();
    }
  });

  it('costs _entities by its representations: 2,000 of them with nested lists are refused before any SQL', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { people(first: 10) { nodes { company { people(first: 10) { nodes { raw } } } } } } } }';
    const representations = { r: Array.from({ length: 2_000 }, () => ({ __typename: 'Company', id: '1' })) };
    h.sql.reset();
    expect((await h.gql(query, representations)).body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(h.sql.statements).toEqual([]);
    await refused(query, representations, 400, 'COST_LIMIT_EXCEEDED', /costs \d+; the maximum is 250000/);
    const few = dataOf<{ _entities: unknown[] }>(await h.gql(query, { r: [{ __typename: 'Company', id: '1' }] }));
    expect(few._entities).toHaveLength(1);
  });

  it("re-costs an operation for each request's variables (a small page first does not let a large one through)", async () => {
    const query = 'query($n: Int) { companies(first: $n) { nodes { people(first: $n) { nodes { id } } } } }';
    expect((await h.gql(query, { n: 10 })).body.errors).toBeUndefined();
    await refused(query, { n: 500 }, 400, 'COST_LIMIT_EXCEEDED', /maximum is 250000/);
    expect((await h.gql(query, { n: 10 })).body.errors).toBeUndefined();
  });

  it('repeats at most a short excerpt of a 900 KB operation name, in the response and in the log', async () => {
    const name = `Op${'x'.repeat(900_000)}`;
    h.logs.length = 0;
    for (let run = 1; run <= 2; run++) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ query: 'query A { __typename }', operationName: name }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.body.length).toBeLessThan(5_000);
      expect(response.json().errors[0].message).toMatch(/Unknown operation named "Opxxx.*more characters\)/);
    }
    const longest = Math.max(...h.logs.map((line) => JSON.stringify(line).length));
    expect(longest).toBeLessThan(5_000);
  });

  it('logs at most an excerpt of a 100 KB URL and a 5 KB Host header', async () => {
    h.logs.length = 0;
    const url = `/graphql?query=${encodeURIComponent('{ __typename }')}&pad=${'y'.repeat(100_000)}`;
    const response = await h.app.inject({ method: 'GET', url, headers: { 'apollo-require-preflight': 'true', host: 'h'.repeat(5_000) } });
    expect(response.statusCode).toBeLessThan(500);
    const access = h.logs.find((line) => line.msg === 'incoming request');
    expect(access).toBeDefined();
    expect(JSON.stringify(access).length).toBeLessThan(1_500);
    expect(Math.max(...h.logs.map((line) => JSON.stringify(line).length))).toBeLessThan(5_000);
  });

  it.each([
    ['an empty object', [{}]],
    ['an unknown type', [{ __typename: 'Nope', id: '1' }]],
    ['no __typename', [{ id: '1' }]],
    ['a type that is no entity', [{ __typename: 'SyncRun', id: '1' }]],
    ['a list as __typename', [{ __typename: ['Company'], id: '1' }]],
    ['an object as id', [{ __typename: 'Company', id: { nested: ['1'] } }]],
    ['a bare string', ['Company']],
    ['a number', [1]],
  ])('refuses _entities representations that are not {__typename, id} of an entity: %s', async (_case, representations) => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    await refused(query, { r: representations }, 200, 'BAD_USER_INPUT', /representations\[0\]: expected \{ __typename: "Company" \| "Person"/);
  });

  it('refuses an object id in a literal representation too', async () => {
    await refused('{ _entities(representations: [{__typename: "Company", id: {nested: ["1"]}}]) { __typename } }', undefined, 200, 'BAD_USER_INPUT', /representations\[0\].*got id \{"nested"/);
  });

  it('applies input-field defaults to a variable, on every run: orderBy [{ field: ID }] without a direction', async () => {
    const query = 'query($o: [CompanyOrderBy!]) { companies(first: 3, orderBy: $o) { nodes { id } } }';
    const first = dataOf(await h.gql(query, { o: [{ field: 'ID' }] }));
    expect(dataOf(await h.gql(query, { o: [{ field: 'ID' }] }))).toEqual(first);
  });
});

import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';

/** `levels` nested relation fields: opportunities > primaryContact > company > people > opportunities > ... */
function nested(levels: number): string {
  const chain = ['primaryContact', 'company', 'people(first: 1) { nodes', 'opportunities(first: 1) { nodes'];
  let open = 'opportunities(first: 1) { nodes {';
  let close = '} }';
  for (let i = 1; i < levels; i++) {
    const step = chain[(i - 1) % chain.length];
    open += ` ${step} {`;
    close = (step.includes('nodes') ? '} }' : '}') + close;
  }
  return `{ ${open} id ${close} }`;
}

describe('query limits (depth 10, cost set to 50000 here, default 250000; aliases 30, tokens 2000, page 500)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { env: { GRAPHQL_MAX_COST: '50000' } });
  });
  afterAll(async () => h?.close());

  const rejected = async (query: string, code: string, message: RegExp, variables?: Record<string, unknown>) => {
    h.sql.reset();
    const response = await h.gql(query, variables);
    expect(response.status, query.slice(0, 80)).toBe(400);
    expect(response.body.errors?.[0].extensions?.code).toBe(code);
    expect(response.body.errors?.[0].message).toMatch(message);
    expect(h.sql.statements, 'no SQL runs for a rejected operation').toEqual([]);
  };

  it('counts depth over data fields only, and rejects depth 11', async () => {
    expect((await h.gql(nested(10))).body.errors).toBeUndefined();
    await rejected(nested(11), 'GRAPHQL_VALIDATION_FAILED', /nested 11 levels deep; the maximum is 10/);
  });

  it('follows fragments when measuring depth', async () => {
    const query = `query { ...A } fragment A on Query { opportunities(first: 1) { nodes { ...B } } }
      fragment B on Opportunity { primaryContact { company { people(first: 1) { nodes { ...C } } } } }
      fragment C on Person { opportunities(first: 1) { nodes { primaryContact { company { people(first: 1) { nodes { ...D } } } } } } }
      fragment D on Person { company { people(first: 1) { nodes { company { id } } } } }`;
    await rejected(query, 'GRAPHQL_VALIDATION_FAILED', /nested 11 levels/);
  });

  it('multiplies list sizes into the cost and rejects costly operations before any SQL', async () => {
    await rejected('{ companies(first: 500) { nodes { people(first: 500) { nodes { id } } } } }', 'COST_LIMIT_EXCEEDED', /costs \d+; the maximum is 50000/);
    await rejected('query($n: Int) { companies(first: $n) { nodes { people(first: $n) { nodes { id } } } } }', 'COST_LIMIT_EXCEEDED', /maximum is 50000/, { n: 300 });
    expect((await h.gql('{ companies(first: 100) { nodes { people(first: 100) { nodes { id } } } } }')).body.errors).toBeUndefined();
  });

  it('rejects page sizes above the maximum with a clear message, before any SQL', async () => {
    await rejected('{ people(first: 10000) { nodes { id } } }', 'BAD_USER_INPUT', /first: 10000 exceeds the maximum page size of 500/);
    await rejected('query($n: Int) { companies { nodes { people(last: $n) { nodes { id } } } } }', 'BAD_USER_INPUT', /last: 501 exceeds/, { n: 501 });
  });

  it('rejects more than 30 aliases, fragments counted each time they are spread', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect((await h.gql(aliases(30))).body.errors).toBeUndefined();
    await rejected(aliases(31), 'GRAPHQL_VALIDATION_FAILED', /more than 30 aliases/);
    const spread = `{ ...F ...G } fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `f${i}: __typename`).join(' ')} } fragment G on Query { ...F }`;
    await rejected(spread, 'GRAPHQL_VALIDATION_FAILED', /more than 30 aliases/);
  });

  it('stops parsing documents of more than 2000 tokens', async () => {
    const query = `{ ${Array.from({ length: 700 }, () => 'people { totalCount }').join(' ')} }`;
    await rejected(query, 'GRAPHQL_PARSE_FAILED', /more th[ae][nt] 2000 tokens/);
  });

  it('lets the standard introspection query through', async () => {
    const response = await h.gql(getIntrospectionQuery());
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });
});

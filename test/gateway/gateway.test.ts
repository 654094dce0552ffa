import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../auth/support/tokens.js';
import { BIG_ID } from '../graphql/support/seed.js';
import { direct, eventually, metricValue, startGatewayStack, type GatewayStack } from './support/gateway-stack.js';
import { ratingOf } from './support/ratings-subgraph.js';

const SECRET = 'gateway-test-secret-0123456789abcdef0123456789';
const token = (scope: string, sub = 'frontend') => sign({ secret: new TextEncoder().encode(SECRET) }, { scope, sub });
const ALL_READ = 'read:people read:companies read:opportunities read:projects read:pii read:sync read:ratings';

const COMPANIES_WITH_INVOICES = `query Joined($first: Int) {
  companies(first: $first, orderBy: [{ field: ID }]) { nodes { id name invoices { id number amount { cents currency } } rating } }
}`;

describe('the federation gateway (real HTTP, SQLite, two remote subgraphs)', () => {
  let stack: GatewayStack;
  let reader: string;
  beforeAll(async () => {
    stack = await startGatewayStack({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, GRAPHQL_MAX_COST: '20000', GRAPHQL_MAX_DEPTH: '6' });
    reader = await token(ALL_READ);
  }, 60_000);
  afterAll(async () => stack?.close());

  it('answers a query across three subgraphs with each one’s data', async () => {
    const answer = await stack.gql(COMPANIES_WITH_INVOICES, { first: 10 }, { authorization: `Bearer ${reader}` });
    expect(answer.body.errors).toBeUndefined();
    const nodes = (answer.body.data as { companies: { nodes: { id: string; name: string; invoices: { id: string }[] | null; rating: number }[] } }).companies.nodes;
    expect(nodes.map((n) => n.id)).toContain(BIG_ID);
    // What the invoices service itself says about these companies, asked directly.
    const answered = await direct(
      stack.invoices.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { id invoices { id number amount { cents currency } } } } }',
      { r: nodes.map((n) => ({ __typename: 'Company', id: n.id })) },
    );
    const expected = (answered.data as { _entities: { id: string; invoices: unknown }[] })._entities;
    expect(nodes.map((n) => ({ id: n.id, invoices: n.invoices }))).toEqual(expected);
    expect(nodes.every((n) => n.rating === ratingOf(n.id))).toBe(true);
    expect(nodes.find((n) => n.id === '1')?.name).toBe('Acme');
  });

  it('sends one _entities request per subgraph per plan step, however many parents', async () => {
    stack.invoices.resetStats();
    const before = await stack.get('/metrics');
    const answer = await stack.gql(COMPANIES_WITH_INVOICES, { first: 8 }, { authorization: `Bearer ${reader}` });
    expect(answer.body.errors).toBeUndefined();
    expect(stack.invoices.stats.entitiesCalls).toBe(1);
    expect(stack.invoices.stats.entitiesRepresentations).toEqual([(answer.body.data as { companies: { nodes: unknown[] } }).companies.nodes.length]);
    // The other direction: invoices first, then one _entities step on our own subgraph, in process.
    const reverse = await stack.gql('query($c: ID!) { invoices(companyId: $c) { id company { id name } } }', { c: '1' }, { authorization: `Bearer ${reader}` });
    expect(reverse.body.errors).toBeUndefined();
    const list = (reverse.body.data as { invoices: { company: { name: string } }[] }).invoices;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((invoice) => invoice.company.name === 'Acme')).toBe(true);
    const after = await stack.get('/metrics');
    const steps = (text: string) => metricValue(text, 'mirrorgraph_subgraph_requests_total', { subgraph: 'crm', outcome: 'ok' });
    // companies (1 step) for the first query, _entities (1 step) for the second.
    expect(steps(after.text) - steps(before.text)).toBe(2);
  });

  it('passes Authorization to the subgraphs configured for it, and applies our access rules to it', async () => {
    stack.invoices.resetStats();
    const seenByRatings = stack.ratings.seen.authorization.length;
    const peopleOnly = await token('read:people read:ratings');
    const answer = await stack.gql(COMPANIES_WITH_INVOICES, { first: 3 }, { authorization: `Bearer ${peopleOnly}` });
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(answer.body.errors?.find((e) => e.extensions?.code === 'FORBIDDEN')?.message).toMatch(/read:companies/);

    await stack.gql(COMPANIES_WITH_INVOICES, { first: 3 }, { authorization: `Bearer ${reader}` });
    expect(stack.invoices.stats.lastAuthorization).toBe(`Bearer ${reader}`);
    // ratings has `propagate_headers: []`: it saw requests, none with the token.
    expect(stack.ratings.seen.authorization.length).toBeGreaterThan(seenByRatings);
    expect(stack.ratings.seen.authorization.slice(seenByRatings).every((value) => value === undefined)).toBe(true);

    const anonymous = await stack.gql(COMPANIES_WITH_INVOICES, { first: 3 });
    expect(anonymous.status).toBe(401);
  });

  it('enforces another subgraph’s @requiresScopes at the edge, with the scopes of the same token', async () => {
    const before = stack.ratings.seen.operations;
    const noRatings = await token('read:companies');
    const refused = await stack.gql('{ companies(first: 2) { nodes { name rating } } }', undefined, { authorization: `Bearer ${noRatings}` });
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(refused.body.errors?.[0]?.message).toMatch(/Company\.rating needs the scope read:ratings/);
    expect(stack.ratings.seen.operations).toBe(before);
    const withoutTheField = await stack.gql('{ companies(first: 2) { nodes { name } } }', undefined, { authorization: `Bearer ${noRatings}` });
    expect(withoutTheField.body.errors).toBeUndefined();
    const granted = await stack.gql('{ companies(first: 2) { nodes { name rating } } }', undefined, { authorization: `Bearer ${await token('read:companies read:ratings')}` });
    expect(granted.body.errors).toBeUndefined();
  });

  it('masks personal fields in the supergraph response as the subgraph does, and says so', async () => {
    const noPii = await token('read:people read:companies');
    const answer = await stack.gql('{ people(first: 2, orderBy: [{ field: ID }]) { nodes { id emails { email } } } }', undefined, { authorization: `Bearer ${noPii}` });
    expect(answer.body.errors).toBeUndefined();
    const nodes = (answer.body.data as { people: { nodes: { emails: unknown }[] } }).people.nodes;
    expect(nodes.length).toBe(2);
    expect(nodes.every((n) => n.emails === null)).toBe(true);
    expect(answer.body.extensions?.masked).toMatchObject({ fields: ['Person.emails'], scope: 'read:pii' });
  });

  it('runs a filter sent as a variable, twice, with the same answer', async () => {
    const query = 'query($w: CompanyWhere) { companies(first: 5, where: $w) { nodes { id name } } }';
    const variables = { w: { OR: [{ name: { eq: 'Acme' } }, { id: { eq: BIG_ID } }] } };
    const first = await stack.gql(query, variables, { authorization: `Bearer ${reader}` });
    const second = await stack.gql(query, variables, { authorization: `Bearer ${reader}` });
    expect(first.body.errors).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect((first.body.data as { companies: { nodes: { name: string }[] } }).companies.nodes.map((n) => n.name).sort()).toEqual(['Acme', 'Big Id Co']);
  });

  it('applies the limits to the supergraph operation before any subgraph is asked', async () => {
    stack.invoices.resetStats();
    const costly = await stack.gql('{ companies(first: 100) { nodes { people(first: 100) { nodes { id } } invoices { id } } } }', undefined, { authorization: `Bearer ${reader}` });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    const deep = await stack.gql('{ invoices(companyId: "1") { company { people { nodes { company { people { nodes { company { people { nodes { id } } } } } } } } } } }', undefined, { authorization: `Bearer ${reader}` });
    expect(deep.body.errors?.[0]?.message).toMatch(/depth/i);
    expect(stack.invoices.stats.operations).toBe(0);
  });

  it('keeps our own subgraph at /subgraph for external routers', async () => {
    const sdl = await stack.gql('{ _service { sdl } }', undefined, { authorization: `Bearer ${reader}` }, '/subgraph');
    expect((sdl.body.data as { _service: { sdl: string } })._service.sdl).toMatch(/type Company[^{]*@key\(fields: "id"\)/);
    const onGateway = await stack.gql('{ _service { sdl } }', undefined, { authorization: `Bearer ${reader}` });
    expect(onGateway.body.errors?.[0]?.message).toMatch(/_service/);
  });

  it('counts and times each subgraph in /metrics, our own also for operations that skip the plan', async () => {
    const crm = (text: string) => metricValue(text, 'mirrorgraph_subgraph_requests_total', { subgraph: 'crm', outcome: 'ok' });
    const before = crm((await stack.get('/metrics')).text);
    const ownOnly = await stack.gql('{ companies(first: 2) { nodes { name } } }', undefined, { authorization: `Bearer ${reader}` });
    expect(ownOnly.body.errors).toBeUndefined();
    const metrics = await stack.get('/metrics');
    expect(crm(metrics.text) - before).toBe(1);
    expect(metricValue(metrics.text, 'mirrorgraph_subgraph_requests_total', { subgraph: 'invoices', outcome: 'ok' })).toBeGreaterThan(0);
    expect(metrics.text).toMatch(/mirrorgraph_subgraph_request_duration_seconds_count\{subgraph="ratings"\} [1-9]/);
  });

  it('keeps the last good supergraph when a change to supergraph.yaml does not compose, and takes the next good one', async () => {
    const clashing = join(stack.dir, 'clash.graphql');
    writeFileSync(clashing, 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Company @key(fields: "id") { id: ID! name: Int }\ntype Query { x: Int }\n');
    writeFileSync(stack.configPath, stack.yaml(`  clash:\n    routing_url: http://127.0.0.1:9/graphql\n    schema:\n      file: ./clash.graphql\n`));
    const failed = await eventually('the failed recomposition in /readyz', () => stack.get('/readyz'), (r) => JSON.parse(r.text).supergraph?.lastFailure !== null);
    expect(JSON.stringify(JSON.parse(failed.text).supergraph.lastFailure.errors)).toMatch(/name/);
    const still = await stack.gql('{ companies(first: 1, orderBy: [{ field: ID }]) { nodes { name rating } } }', undefined, { authorization: `Bearer ${reader}` });
    expect(still.body.data).toEqual({ companies: { nodes: [{ name: 'Acme', rating: ratingOf('1') }] } });
    expect(stack.logs.some((line) => line.msg === 'supergraph recomposition failed: the last good supergraph keeps serving')).toBe(true);

    writeFileSync(clashing, 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Company @key(fields: "id") { id: ID! slogan: String }\ntype Query { x: Int }\n');
    const introspect = () => stack.gql('{ __type(name: "Company") { fields { name } } }', undefined, { authorization: `Bearer ${reader}` });
    const fields = await eventually('Company.slogan in the new supergraph', introspect, (r) => JSON.stringify(r.body).includes('"slogan"'));
    expect(JSON.stringify(fields.body)).toContain('"invoices"');
    const ready = JSON.parse((await stack.get('/readyz')).text) as { supergraph: { lastFailure: unknown } };
    expect(ready.supergraph.lastFailure).toBeNull();
  });

  it('gives partial data, fast, when a subgraph hangs past its timeout', async () => {
    stack.ratings.hang = true;
    try {
      const answer = await stack.gql(COMPANIES_WITH_INVOICES, { first: 3 }, { authorization: `Bearer ${reader}` });
      expect(answer.ms).toBeLessThan(5_000);
      const nodes = (answer.body.data as { companies: { nodes: { name: string; rating: number | null; invoices: unknown }[] } }).companies.nodes;
      expect(nodes.map((n) => n.name)).toContain('Acme');
      expect(nodes.every((n) => n.rating === null && n.invoices !== null)).toBe(true);
      expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'ratings' } });
    } finally {
      stack.ratings.hang = false;
    }
  });

  it('keeps serving with partial data when a subgraph is stopped, and /readyz names it', async () => {
    await stack.invoices.close();
    const answer = await stack.gql(COMPANIES_WITH_INVOICES, { first: 3 }, { authorization: `Bearer ${reader}` });
    const nodes = (answer.body.data as { companies: { nodes: { name: string; rating: number; invoices: unknown }[] } }).companies.nodes;
    expect(nodes.map((n) => n.name)).toContain('Acme');
    expect(nodes.every((n) => n.invoices === null && typeof n.rating === 'number')).toBe(true);
    expect(answer.body.errors?.every((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions.subgraph === 'invoices')).toBe(true);
    // Internal addresses only when errors are not masked (GRAPHQL_MASK_ERRORS is off in tests).
    const ready = await stack.get('/readyz');
    expect(ready.status).toBe(200);
    const body = JSON.parse(ready.text) as { status: string; subgraphs: { name: string; state: string; reason?: string }[] };
    expect(body.status).toBe('degraded');
    expect(body.subgraphs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'crm', state: 'up' }),
        expect.objectContaining({ name: 'ratings', state: 'up' }),
        expect.objectContaining({ name: 'invoices', state: 'down', reason: expect.stringMatching(/ECONNREFUSED/) }),
      ]),
    );
  });


});

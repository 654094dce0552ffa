import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/index.js';
import type { Scope } from '../../src/auth/scopes.js';
import { DIALECTS } from '../support/databases.js';
import { ADMIN_TOKEN, startHarness, type GraphQLResponse, type Harness } from '../graphql/support/harness.js';

/**
 * Every path a record can leave by checks the caller's scopes: root fields, relations into a
 * type the caller may not read, the union, `_entities`, stats; personal fields are masked and
 * named; filtering, sorting and grouping by them is refused. Filters go as variables.
 */
describe.each(DIALECTS)('scopes on %s (AUTH_MODE=api-key)', (dialect) => {
  let h: Harness;
  const keys: Record<string, string> = {};
  const as = (name: string) => ({ authorization: `Bearer ${keys[name]}` });
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { AUTH_MODE: 'api-key' } });
    const store = new ApiKeyStore(h.dataSource);
    const make = async (name: string, scopes: Scope[]) => (keys[name] = (await store.create(name, scopes)).key);
    await make('people', ['read:people']);
    await make('people-pii', ['read:people', 'read:pii']);
    await make('projects', ['read:projects']);
    await make('everything-read', ['read:people', 'read:companies', 'read:opportunities', 'read:projects', 'read:pii', 'read:deleted', 'read:sync']);
  });
  afterAll(async () => h?.close());

  const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.code);
  const forbiddenAt = (response: GraphQLResponse, path: string) => {
    const error = response.body.errors?.find((e) => (e.path ?? []).join('.') === path);
    expect(error, `${path} in ${response.text.slice(0, 400)}`).toBeDefined();
    expect(error?.extensions?.code).toBe('FORBIDDEN');
  };

  it('answers an anonymous caller UNAUTHENTICATED on every resource, and a wrong key 401', async () => {
    for (const query of ['{ people(first: 1) { nodes { id } } }', '{ company(id: "1") { id } }', '{ opportunityStats { count } }', '{ syncStatus { resource } }']) {
      expect(codes(await h.gql(query)), query).toContain('UNAUTHENTICATED');
    }
    const wrong = await h.gql('{ people(first: 1) { nodes { id } } }', undefined, { authorization: 'Bearer mg_000000000000_nope' });
    expect(wrong.status).toBe(401);
  });

  it('reads what the scope allows and masks personal fields, naming them in extensions.masked', async () => {
    const response = await h.gql<{ people: { nodes: { id: string; name: string | null; emails: unknown; address: unknown; raw: unknown; details: unknown }[] } }>(
      '{ people(first: 5) { nodes { id name emails { email } address { city } raw details } } }',
      undefined,
      as('people'),
    );
    expect(response.body.errors).toBeUndefined();
    const nodes = response.body.data!.people.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.some((n) => n.name !== null)).toBe(true);
    for (const node of nodes) expect([node.emails, node.address, node.raw, node.details]).toEqual([null, null, null, null]);
    expect((response.body as { extensions?: { masked?: unknown } }).extensions?.masked).toEqual({
      fields: ['Person.address', 'Person.details', 'Person.emails', 'Person.raw'],
      scope: 'read:pii',
    });
    h.sql.keep = true;
    h.sql.reset();
    await h.gql('{ people(first: 5) { nodes { id emails { email } } } }', undefined, as('people'));
    expect(h.sql.statements.join('\n')).not.toMatch(/emails/);
    h.sql.keep = false;

    const full = await h.gql<{ people: { nodes: { emails: unknown; raw: unknown }[] } }>('{ people(first: 5) { nodes { emails { email } raw } } }', undefined, as('people-pii'));
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.people.nodes.some((n) => n.raw !== null)).toBe(true);
    expect((full.body as { extensions?: { masked?: unknown } }).extensions?.masked).toBeUndefined();
  });

  it('refuses relations into a type the caller may not read: to-one, to-many, the union', async () => {
    forbiddenAt(await h.gql('{ people(first: 3) { nodes { id company { name } } } }', undefined, as('people')), 'people.nodes.0.company');
    forbiddenAt(await h.gql('{ people(first: 3) { nodes { id opportunities { nodes { id } } } } }', undefined, as('people')), 'people.nodes.0.opportunities');
    const union = await h.gql('{ projects(first: 50) { nodes { id relatedRecord { __typename } } } }', undefined, as('projects'));
    expect(codes(union)).toContain('FORBIDDEN');
  });

  it('refuses root fields, stats and _entities of a type the caller may not read', async () => {
    expect(codes(await h.gql('{ companies(first: 1) { nodes { id } } }', undefined, as('people')))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql('{ companyStats { count } }', undefined, as('people')))).toEqual(['FORBIDDEN']);
    const entities = await h.gql<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } ... on Company { id } } }',
      { r: [{ __typename: 'Person', id: '101' }, { __typename: 'Company', id: '1' }] },
      as('people'),
    );
    expect(entities.body.data?._entities[0]).toEqual({ id: '101' });
    forbiddenAt(entities, '_entities.1');
  });

  it('refuses filtering, sorting and grouping by a field the caller may not read (masking is no oracle)', async () => {
    const list = 'query($w: PersonWhere, $o: [PersonOrderBy!]) { people(first: 3, where: $w, orderBy: $o) { nodes { id } } }';
    for (const variables of [
      { w: { address: { city: { eq: 'Paris' } } } },
      { w: { details: { contains: 'a' } } },
      { w: { OR: [{ name: { contains: 'a' } }, { emails: { isNull: false } }] } },
      { o: [{ field: 'ADDRESS_CITY' }] },
      { w: { company: { name: { contains: 'Acme' } } } },
    ]) {
      const response = await h.gql(list, variables, as('people'));
      expect(codes(response), JSON.stringify(variables)).toEqual(['FORBIDDEN']);
    }
    expect(codes(await h.gql('{ personStats(groupBy: [ADDRESS_CITY]) { count } }', undefined, as('people')))).toEqual(['FORBIDDEN']);
    const allowed = await h.gql(list, { w: { address: { city: { eq: 'Paris' } } }, o: [{ field: 'ADDRESS_CITY' }] }, as('people-pii'));
    expect(allowed.body.errors).toBeUndefined();
  });

  it('needs read:deleted for includeDeleted, read:sync for the sync fields, sync:write for resync', async () => {
    expect(codes(await h.gql('{ people(first: 1, includeDeleted: true) { nodes { id } } }', undefined, as('people')))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql('{ syncRuns { id } }', undefined, as('people')))).toEqual(['FORBIDDEN']);
    expect((await h.gql('{ syncRuns { id } people(first: 1, includeDeleted: true) { nodes { id } } }', undefined, as('everything-read'))).body.errors).toBeUndefined();
    expect(codes(await h.gql('mutation { resync { resource } }', undefined, as('everything-read')))).toEqual(['FORBIDDEN']);
    const admin = await h.gql('mutation { resync(resources: [PEOPLE]) { resource } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(admin.body.errors).toBeUndefined();
  });

  it('takes a revocation at once', async () => {
    const store = new ApiKeyStore(h.dataSource);
    const { key } = await store.create('short-lived', ['read:people']);
    expect((await h.gql('{ people(first: 1) { nodes { id } } }', undefined, { 'x-api-key': key })).body.errors).toBeUndefined();
    await store.revoke('short-lived');
    expect((await h.gql('{ people(first: 1) { nodes { id } } }', undefined, { 'x-api-key': key })).status).toBe(401);
  });
});

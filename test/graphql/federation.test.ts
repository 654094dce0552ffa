import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printMirrorSchema } from '../../src/schema/build-schema.js';
import { startHarness, type Harness } from './support/harness.js';
import { BIG_ID } from './support/seed.js';

/** A second subgraph that only knows person ids and adds a field to Person. */
const starsSchema = buildSubgraphSchema({
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Person @key(fields: "id") { id: ID! stars: Int! }
    type Company @key(fields: "id") { id: ID! }
    type Query { starred: [Person!]! favouriteCompanies: [Company!]! }
  `),
  resolvers: {
    Query: {
      starred: () => ['101', '102', '9999', '114'].map((id) => ({ id, stars: Number(id) % 5 })),
      favouriteCompanies: () => [{ id: BIG_ID }, { id: '1' }],
    },
  },
});

describe('Apollo Federation 2', () => {
  let h: Harness;
  let gateway: ApolloServer;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/graphql`;
    const sdl = await printMirrorSchema();
    // The supergraph keeps the access rules for a gateway to enforce at the edge...
    const secured = composeServices([{ name: 'mirror', typeDefs: parse(sdl), url }]);
    expect(secured.errors ?? []).toEqual([]);
    expect(secured.supergraphSdl).toMatch(/type Person[^{]*@requiresScopes\(scopes: \[\["read:people"\]\]\)/);
    expect(secured.supergraphSdl).toMatch(/emails: \[Email!\] @requiresScopes\(scopes: \[\["read:pii"\]\]\)/);
    // ...but @apollo/gateway refuses any supergraph with a SECURITY feature it cannot enforce
    // (Apollo Router and Hive Gateway enforce it). Query planning and entities are what this
    // in-process gateway tests, so it gets the SDL without them; the subgraph enforces regardless.
    const withoutScopes = sdl.replace(/ ?@requiresScopes\(scopes: \[(?:\[[^\]]*\](?:, )?)+\]\)/g, '').replace(', "@requiresScopes"', '');
    const composed = composeServices([
      { name: 'mirror', typeDefs: parse(withoutScopes), url },
      { name: 'stars', typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Person @key(fields: "id") { id: ID! stars: Int! } type Company @key(fields: "id") { id: ID! }
        type Query { starred: [Person!]! favouriteCompanies: [Company!]! }`), url: 'http://stars.invalid/graphql' },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    gateway = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl: composed.supergraphSdl!,
        buildService: ({ name, url: serviceUrl }) => (name === 'stars' ? new LocalGraphQLDataSource(starsSchema) : new RemoteGraphQLDataSource({ url: serviceUrl })),
      }),
    });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway?.stop();
    await h?.close();
  });

  it('serves its SDL with @key on the four types through _service', async () => {
    const response = await h.gql('{ _service { sdl } }');
    const sdl = (response.body.data as { _service: { sdl: string } })._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    for (const type of ['Person', 'Company', 'Opportunity', 'Project']) {
      const head = new RegExp(`type ${type}\\s+([^{]*){`).exec(sdl)?.[1] ?? '';
      expect(head, type).toContain('@key(fields: "id")');
      expect(head, type).toContain(`@requiresScopes(scopes: [["read:`);
    }
  });

  it('resolves _entities through the loaders: one statement per type, unknown and soft-deleted ids null', async () => {
    h.sql.reset();
    const response = await h.gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name } ... on Company { id name } } }',
      { r: [{ __typename: 'Person', id: '101' }, { __typename: 'Company', id: BIG_ID }, { __typename: 'Person', id: '102' }, { __typename: 'Person', id: '9999' }, { __typename: 'Person', id: '114' }] },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [{ id: '101', name: 'Ann' }, { id: BIG_ID, name: 'Big Id Co' }, { id: '102', name: 'Bob' }, null, null],
    });
    expect(h.sql.statements).toHaveLength(2);
  });

  it('answers a query planned across both subgraphs through an in-process gateway', async () => {
    const result = await gateway.executeOperation({
      query: '{ starred { id stars name company { name } } favouriteCompanies { id name people(first: 2) { totalCount } } }',
    });
    expect(result.body.kind).toBe('single');
    const single = (result.body as { singleResult: { data?: Record<string, unknown>; errors?: unknown[] } }).singleResult;
    expect(single.errors, JSON.stringify(single.errors)).toBeUndefined();
    expect(single.data).toEqual({
      starred: [
        { id: '101', stars: 1, name: 'Ann', company: { name: 'Acme' } },
        { id: '102', stars: 2, name: 'Bob', company: { name: 'Globex' } },
        { id: '9999', stars: 4, name: null, company: null },
        { id: '114', stars: 4, name: null, company: null },
      ],
      favouriteCompanies: [
        { id: BIG_ID, name: 'Big Id Co', people: { totalCount: 5 } },
        { id: '1', name: 'Acme', people: { totalCount: 12 } },
      ],
    });
  });
});

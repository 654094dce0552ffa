import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/gateway/composition.js';
import { OwnOperations } from '../../src/gateway/own-operations.js';
import { fieldOwners } from '../../src/gateway/supergraph-ast.js';
import { buildMirrorSchema, printMirrorSchema } from '../../src/schema/build-schema.js';
import { buildSchema, type GraphQLSchema } from 'graphql';

const BILLING = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])
type Company @key(fields: "id") { id: ID! invoices: [Invoice!] }
type Person @key(fields: "id") { id: ID! title: String @override(from: "crm") }
type Invoice { id: ID! company: Company! }
type Query { invoices: [Invoice!]! }`;

describe('which operations are ours alone', () => {
  let supergraphSdl: string;
  let own: OwnOperations;
  let api: GraphQLSchema;
  beforeAll(async () => {
    const composed = composeSupergraph([
      { name: 'crm', url: 'http://crm.invalid/subgraph', sdl: await printMirrorSchema() },
      { name: 'billing', url: 'http://billing.invalid/graphql', sdl: BILLING },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    supergraphSdl = composed.supergraphSdl;
    own = new OwnOperations(supergraphSdl, 'crm', await buildMirrorSchema());
    // Only the field coordinates matter to the walk: the API schema the gateway validates against.
    api = buildSchema(supergraphSdl, { assumeValidSDL: true });
  });
  const ours = (query: string) => own.isOurs(parse(query), api);

  it('reads the owners of each field from the join directives', () => {
    const owners = fieldOwners(supergraphSdl);
    expect([...(owners.get('Company.name') ?? [])]).toEqual(['CRM']);
    expect([...(owners.get('Company.invoices') ?? [])]).toEqual(['BILLING']);
    expect([...(owners.get('Person.title') ?? [])]).toEqual(['BILLING']);
  });

  it('takes an operation on our fields only, with fragments and __typename', () => {
    expect(ours('{ companies(first: 2) { nodes { __typename id name ...F } } } fragment F on Company { people { nodes { name } } }')).toBe(true);
  });

  it('plans an operation that selects another subgraph’s field, an overridden one, or introspects', () => {
    expect(ours('{ companies(first: 2) { nodes { name invoices { id } } } }')).toBe(false);
    expect(ours('{ people(first: 2) { nodes { name title } } }')).toBe(false);
    expect(ours('{ __schema { queryType { name } } }')).toBe(false);
    expect(ours('{ invoices { id } }')).toBe(false);
  });
});

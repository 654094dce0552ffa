import { buildSchema, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/gateway/composition.js';
import { RemoteScopes, unmet } from '../../src/gateway/remote-scopes.js';
import { printMirrorSchema } from '../../src/schema/build-schema.js';

const BILLING = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])
type Company @key(fields: "id") { id: ID! invoices: [Invoice!] @requiresScopes(scopes: [["read:invoices"], ["billing:admin"]]) }
type Invoice @requiresScopes(scopes: [["read:invoices"]]) { id: ID! total: Int }
type Query { invoices: [Invoice!]! }`;

describe('the other subgraphs’ @requiresScopes', () => {
  let scopes: RemoteScopes;
  let api: ReturnType<typeof buildSchema>;
  beforeAll(async () => {
    const composed = composeSupergraph([
      { name: 'crm', url: 'http://crm.invalid/subgraph', sdl: await printMirrorSchema() },
      { name: 'billing', url: 'http://billing.invalid/graphql', sdl: BILLING },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    scopes = new RemoteScopes(composed.supergraphSdl, 'crm');
    api = buildSchema(composed.supergraphSdl, { assumeValidSDL: true });
  });
  const needs = (query: string) => scopes.requirementsOf(parse(query), api).map((r) => r.coordinate).sort();

  it('asks for theirs and leaves ours to our subgraph', () => {
    expect(needs('{ companies(first: 1) { nodes { name emails { email } } } }')).toEqual([]);
    expect(needs('{ companies(first: 1) { nodes { name invoices { id } } } }')).toEqual(['Company.invoices', 'Invoice']);
    expect(needs('{ invoices { total } }')).toEqual(['Invoice']);
  });

  it('is met by any one of the alternatives, all of whose scopes are held', () => {
    const requirements = scopes.requirementsOf(parse('{ companies(first: 1) { nodes { invoices { id } } } }'), api);
    expect(unmet(requirements, (s) => s === 'read:invoices')).toBeUndefined();
    expect(unmet(requirements, (s) => s === 'billing:admin')?.coordinate).toBe('Invoice');
    expect(unmet(requirements, () => false)?.coordinate).toBe('Company.invoices');
  });
});

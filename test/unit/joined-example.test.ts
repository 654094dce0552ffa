import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/gateway/composition.js';
import { joinedExamples } from '../../src/gateway/joined-example.js';
import { printMirrorSchema } from '../../src/schema/build-schema.js';

const INVOICES_SDL = readFileSync(join(__dirname, '..', '..', 'examples', 'invoices', 'schema.graphql'), 'utf8');

describe('the GraphiQL tab that joins our data with another subgraph’s', () => {
  it('selects a field the other subgraph adds to one of our types, never one ours resolves too, and is valid', async () => {
    const composed = composeSupergraph([
      { name: 'crm', url: 'http://crm.invalid/subgraph', sdl: await printMirrorSchema() },
      { name: 'invoices', url: 'http://invoices.invalid/graphql', sdl: INVOICES_SDL },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const [example] = joinedExamples(composed.supergraphSdl, 'crm');
    expect(example?.query).toMatch(/query CompanyAcrossSubgraphs/);
    expect(example?.query).toMatch(/`invoices` from the invoices subgraph/);
    const api = buildSchema(composed.supergraphSdl, { assumeValidSDL: true });
    expect(validate(api, parse(example!.query))).toEqual([]);
  });

  it('offers none when no other subgraph extends our types', async () => {
    const composed = composeSupergraph([
      { name: 'crm', url: 'http://crm.invalid/subgraph', sdl: await printMirrorSchema() },
      { name: 'pings', url: 'http://pings.invalid/graphql', sdl: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { ping: Int }' },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    expect(joinedExamples(composed.supergraphSdl, 'crm')).toEqual([]);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type Run } from '../auth/support/cli.js';
import { schemaShape, scopedCoordinates } from './support/schema-shape.js';

const dir = mkdtempSync(join(tmpdir(), 'compose-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compose must not open (or create) a database: this one would be created if it did. */
const DATABASE_FILE = join(dir, 'must-not-exist.sqlite');
const ENV = { DATABASE_URL: `sqlite:${DATABASE_FILE}`, LOG_LEVEL: 'silent' };

const INVOICES_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Company @key(fields: "id") { id: ID! invoiceTotal: Float }
type Query { invoiceCount: Int! }
`;
writeFileSync(join(dir, 'invoices.graphql'), INVOICES_SDL);
writeFileSync(
  join(dir, 'good.yaml'),
  `federation_version: =2.7.0
subgraphs:
  crm:
    mirrorgraph: true
    routing_url: https://crm.internal/subgraph
  invoices:
    routing_url: http://127.0.0.1:4002/graphql
    schema: { file: ./invoices.graphql }
`,
);
writeFileSync(
  join(dir, 'clash.yaml'),
  `subgraphs:
  clash:
    routing_url: http://127.0.0.1:4002/graphql
    schema:
      sdl: |
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query { syncStatus: String }
`,
);
writeFileSync(join(dir, 'broken.yaml'), 'subgraphs:\n  a: [unclosed\n');

/** The supergraph as @apollo/federation-internals reads it (it refuses SECURITY features it does not know by default). */
const apolloSupergraph = (sdl: string) => Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES });

// One CLI process at a time: each builds the schema, and two cores run them no faster side by side.
describe('mirrorgraph compose', () => {
  let run: Run;
  beforeAll(async () => {
    run = await cli(ENV, ['compose', '--config', join(dir, 'good.yaml')]);
  });

  it('prints a supergraph that @apollo/composition composes again to the same API schema', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(DATABASE_FILE)).toBe(false);
    const ours = apolloSupergraph(run.stdout);
    expect(ours.subgraphsMetadata()).toEqual(
      expect.arrayContaining([
        { name: 'crm', url: 'https://crm.internal/subgraph' },
        { name: 'invoices', url: 'http://127.0.0.1:4002/graphql' },
      ]),
    );
    const extracted = ours.subgraphs().values().map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.toString()) }));
    const again = composeServices(extracted);
    expect(again.errors ?? []).toEqual([]);
    const apiShape = schemaShape(ours.apiSchema().toGraphQLJSSchema());
    expect(apiShape).toContain('Company.invoiceTotal(): Float');
    expect(apiShape).toContain('Query.invoiceCount(): Int!');
    expect(schemaShape(apolloSupergraph(again.supergraphSdl!).apiSchema().toGraphQLJSSchema())).toEqual(apiShape);
  });

  it("keeps the same access rules as Apollo's own composition of the same subgraphs", () => {
    expect(run.code).toBe(0);
    const selfSdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const apollo = composeServices([
      { name: 'crm', url: 'https://crm.internal/subgraph', typeDefs: parse(selfSdl) },
      { name: 'invoices', url: 'http://127.0.0.1:4002/graphql', typeDefs: parse(INVOICES_SDL) },
    ]);
    expect(apollo.errors ?? []).toEqual([]);
    const scoped = scopedCoordinates(run.stdout);
    expect(scoped).toContain('Company @requiresScopes(scopes: [["read:companies"]])');
    expect(scoped).toEqual(scopedCoordinates(apollo.supergraphSdl!));
    expect(schemaShape(apolloSupergraph(run.stdout).apiSchema().toGraphQLJSSchema())).toEqual(schemaShape(apolloSupergraph(apollo.supergraphSdl!).apiSchema().toGraphQLJSSchema()));
  });

  it('reads SUPERGRAPH_CONFIG and writes --out', async () => {
    const out = join(dir, 'supergraph.graphql');
    const run = await cli({ ...ENV, SUPERGRAPH_CONFIG: join(dir, 'good.yaml') }, ['compose', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`supergraph of crm, invoices written to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('join__graph(name: "invoices", url: "http://127.0.0.1:4002/graphql")');
  });

  it('exits 1 and lists the composition errors on stderr when subgraphs clash', async () => {
    const run = await cli(ENV, ['compose', '--config', join(dir, 'clash.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('composition failed:');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}- \[FIELD_TYPE_MISMATCH\] Type of field "Query\.syncStatus" is incompatible across subgraphs/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}- \[INVALID_FIELD_SHARING\] /));
  });

  it('exits 2 with the problem for a file that is not YAML', async () => {
    const run = await cli(ENV, ['compose', '--config', join(dir, 'broken.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${join(dir, 'broken.yaml')}: not valid YAML at line \\d+: `));
  });

  it('exits 2 saying how to name the config when there is none', async () => {
    const run = await cli(ENV, ['compose']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('mirrorgraph compose: no supergraph config; set SUPERGRAPH_CONFIG or pass --config <path>\n');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFromConfig, composeSupergraph } from '../../src/gateway/composition.js';
import { loadSubgraphSdl } from '../../src/gateway/subgraph-sdl.js';
import type { RemoteSubgraph, SupergraphConfig } from '../../src/gateway/supergraph-config.js';
import { printMirrorSchema } from '../../src/schema/build-schema.js';

/** A second subgraph: adds a field to our Company entity, and a root field of its own. */
const INVOICES_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Company @key(fields: "id") { id: ID! invoiceTotal: Float }
type Query { invoiceCount: Int! }
`;
const SELF = { name: 'mirrorgraph', url: 'http://127.0.0.1:4000/subgraph' };
const INVOICES_URL = 'http://127.0.0.1:4002/graphql';
const TOKEN = 'Bearer never-in-errors-7f3a';

let selfSdl: string;
beforeAll(async () => {
  selfSdl = await printMirrorSchema();
});

function remote(name: string, url: string, headers: Record<string, string> = {}): RemoteSubgraph {
  return { name, routingUrl: url, schema: { kind: 'url', url, headers }, propagateHeaders: ['authorization'], timeoutMs: 2000 };
}

function configWith(remotes: RemoteSubgraph[]): SupergraphConfig {
  return { path: '/tmp/supergraph.yaml', federationVersion: undefined, self: { name: SELF.name, routingUrl: SELF.url }, remotes, watchedFiles: [] };
}

describe('composeSupergraph', () => {
  it("composes our subgraph with one that extends Company, keeping our @requiresScopes", () => {
    const result = composeSupergraph([{ ...SELF, sdl: selfSdl }, { name: 'invoices', url: INVOICES_URL, sdl: INVOICES_SDL }]);
    if (!result.ok) expect.fail(result.errors.join('\n'));
    expect(result.supergraphSdl).toContain('join__graph(name: "invoices", url: "http://127.0.0.1:4002/graphql")');
    expect(result.supergraphSdl).toContain('join__graph(name: "mirrorgraph", url: "http://127.0.0.1:4000/subgraph")');
    expect(result.supergraphSdl).toMatch(/invoiceTotal: Float @join__field\(graph: INVOICES\)/);
    expect(result.supergraphSdl).toMatch(/type Company [^{]*@requiresScopes\(scopes: \[\["read:companies"\]\]\)/);
    expect(result.supergraphSdl).toMatch(/phoneNumbers: \[PhoneNumber!\] @join__field\(graph: MIRRORGRAPH\) @requiresScopes\(scopes: \[\["read:pii"\]\]\)/);
    expect(result.subgraphs.map((subgraph) => subgraph.name)).toEqual(['mirrorgraph', 'invoices']);
  });

  it('lists composition errors when two subgraphs define the same root field differently', () => {
    const clash = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { syncStatus: String }`;
    const result = composeSupergraph([{ ...SELF, sdl: selfSdl }, { name: 'clash', url: INVOICES_URL, sdl: clash }]);
    if (result.ok) expect.fail('composed a clash');
    expect(result.errors).toContainEqual(expect.stringMatching(/^\[FIELD_TYPE_MISMATCH\] Type of field "Query\.syncStatus" is incompatible across subgraphs/));
    expect(result.errors).toContainEqual(expect.stringMatching(/^\[INVALID_FIELD_SHARING\] Non-shareable field "Query\.syncStatus" is resolved from multiple subgraphs/));
  });

  it('names the subgraph and the place of a syntax error instead of throwing', () => {
    const result = composeSupergraph([{ ...SELF, sdl: selfSdl }, { name: 'broken', url: INVOICES_URL, sdl: 'type Query {\n  x: \n}' }]);
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^subgraph "broken": its SDL does not parse: Syntax Error: .* \(at line 3, column 1\)$/)] });
  });

  it('refuses a subgraph listed twice instead of throwing', () => {
    const result = composeSupergraph([{ ...SELF, sdl: selfSdl }, { ...SELF, sdl: selfSdl }]);
    expect(result).toEqual({ ok: false, errors: ['subgraph "mirrorgraph" is listed twice'] });
  });
});

describe('composeFromConfig with a subgraph_url', () => {
  let invoices: ApolloServer;
  let invoicesUrl: string;
  let plain: ApolloServer;
  let plainUrl: string;
  let raw: Server;
  let rawUrl: string;
  const seenAuthorization: (string | undefined)[] = [];

  beforeAll(async () => {
    invoices = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(INVOICES_SDL), resolvers: { Query: { invoiceCount: () => 3 } } }) });
    ({ url: invoicesUrl } = await startStandaloneServer(invoices, {
      listen: { host: '127.0.0.1', port: 0 },
      context: async ({ req }) => {
        seenAuthorization.push(req.headers.authorization);
        return {};
      },
    }));
    // A GraphQL server that is not a federation subgraph: no _service field.
    plain = new ApolloServer({ typeDefs: 'type Query { hello: String }' });
    ({ url: plainUrl } = await startStandaloneServer(plain, { listen: { host: '127.0.0.1', port: 0 } }));
    raw = createServer((req, res) => {
      if (req.url === '/down') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`maintenance ${'.'.repeat(500)}`);
      }
      if (req.url === '/endless') {
        // A body that never ends: 1 MiB after 1 MiB, for as long as anyone reads.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1_048_576, 0x20);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      }
      // Any other path: never answers.
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await invoices?.stop();
    await plain?.stop();
    raw?.closeAllConnections();
    await new Promise((resolve) => raw?.close(resolve));
  });

  it('loads its SDL with { _service { sdl } }, sending the introspection headers, and composes', async () => {
    const result = await composeFromConfig(configWith([remote('invoices', invoicesUrl, { Authorization: TOKEN })]), selfSdl);
    if (!result.ok) expect.fail(result.errors.join('\n'));
    expect(seenAuthorization).toContain(TOKEN);
    expect(result.subgraphs[1]).toEqual({ name: 'invoices', url: invoicesUrl, sdl: expect.stringContaining('invoiceTotal: Float') });
    expect(result.supergraphSdl).toContain('invoiceCount: Int! @join__field(graph: INVOICES)');
  });

  it('gives a clear load error for a stopped subgraph, naming it and its URL but no header value', async () => {
    const stopped = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(INVOICES_SDL) }) });
    const { url } = await startStandaloneServer(stopped, { listen: { host: '127.0.0.1', port: 0 } });
    await stopped.stop();
    const result = await composeFromConfig(configWith([remote('invoices', url, { Authorization: TOKEN })]), selfSdl);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([`subgraph "invoices" (${url}): could not load its schema: connection refused (is the subgraph running?)`]);
    expect(result.loadErrors).toEqual([{ subgraph: 'invoices', message: result.errors[0] }]);
    expect(JSON.stringify(result)).not.toContain('never-in-errors');
  });

  it('says a server without _service is probably no federation subgraph', async () => {
    await expect(loadSubgraphSdl(remote('plain', plainUrl), { timeoutMs: 2000 })).rejects.toThrow(
      /^subgraph "plain" \(http:\/\/127\.0\.0\.1:\d+\/\): could not load its schema: \{ _service \{ sdl \} \} failed with HTTP 400 \(is it a federation subgraph\?\): Cannot query field "_service"/,
    );
  });

  it('gives the status and a short excerpt of the body of a non-2xx answer', async () => {
    const error = await loadSubgraphSdl(remote('down', `${rawUrl}/down`), { timeoutMs: 2000 }).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/could not load its schema: answered HTTP 503: "maintenance \.+… \(\d+ more characters\)"$/);
    expect(String(error).length).toBeLessThan(300);
  });

  it('stops reading a body that never ends, with a bounded error, well before the timeout', async () => {
    const started = Date.now();
    await expect(loadSubgraphSdl(remote('endless', `${rawUrl}/endless`), { timeoutMs: 20_000 })).rejects.toThrow(/subgraph "endless" .*answered more than 16 MiB/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops waiting after the timeout', async () => {
    const started = Date.now();
    await expect(loadSubgraphSdl(remote('silent', `${rawUrl}/silent`), { timeoutMs: 300 })).rejects.toThrow(/subgraph "silent" \(.*\/silent\): could not load its schema: no answer within 300 ms$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads a file and passes inline SDL through as is', async () => {
    const fromSdl: RemoteSubgraph = { ...remote('inline', INVOICES_URL), schema: { kind: 'sdl', sdl: INVOICES_SDL } };
    expect(await loadSubgraphSdl(fromSdl, { timeoutMs: 100 })).toBe(INVOICES_SDL);
    const missing: RemoteSubgraph = { ...remote('onfile', INVOICES_URL), schema: { kind: 'file', path: '/nonexistent/invoices.graphql' } };
    await expect(loadSubgraphSdl(missing, { timeoutMs: 100 })).rejects.toThrow('subgraph "onfile" (/nonexistent/invoices.graphql): could not load its schema: cannot read the file (ENOENT)');
  });
});

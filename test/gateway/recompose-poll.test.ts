import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../src/observability/metrics.js';
import { startHarness, type Harness } from '../graphql/support/harness.js';
import { eventually } from './support/gateway-stack.js';

const sdlWith = (fields: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Company @key(fields: "id") { id: ID! ${fields} }
type Query { ping: Int }
`;

const compositions = async (outcome: string): Promise<number> =>
  (await registry.getSingleMetric('mirrorgraph_supergraph_compositions_total')?.get())?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

/** A subgraph that only publishes its SDL, which the test changes while the gateway polls it. */
describe('recomposition on SUPERGRAPH_POLL_INTERVAL_SECONDS', () => {
  let sdl = sdlWith('rank: Int');
  let server: Server;
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(body.includes('_service') ? { data: { _service: { sdl } } } : { data: { __typename: 'Query' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-poll-'));
    writeFileSync(join(dir, 'supergraph.yaml'), `subgraphs:\n  ranks:\n    routing_url: ${url}\n    schema:\n      subgraph_url: ${url}\n`);
    h = await startHarness('sqlite', { env: { SUPERGRAPH_CONFIG: join(dir, 'supergraph.yaml'), SUPERGRAPH_POLL_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await h?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const companyFields = async () => {
    const response = await h.gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Company") { fields { name } } }');
    return response.body.data?.__type.fields.map((f) => f.name) ?? [];
  };

  it('takes a remote subgraph’s new schema at the next poll', async () => {
    expect(await companyFields()).toContain('rank');
    sdl = sdlWith('rank: Int badge: String');
    await eventually('Company.badge after a poll', companyFields, (fields) => fields.includes('badge'), 8_000);
  });

  it('keeps the last good supergraph while the remote publishes one that does not compose', async () => {
    const failedBefore = await compositions('failed');
    sdl = sdlWith('name: Int');
    await eventually('a failed composition', () => compositions('failed'), (n) => n > failedBefore, 8_000);
    const fields = await companyFields();
    expect(fields).toEqual(expect.arrayContaining(['name', 'rank', 'badge']));
    const answer = await h.gql('{ companies(first: 1, orderBy: [{ field: ID }]) { nodes { name } } }');
    expect(answer.body).toEqual({ data: { companies: { nodes: [{ name: 'Acme' }] } } });
  });
});

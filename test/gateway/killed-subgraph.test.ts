import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnExampleSubgraph, type RunningExampleSubgraph } from '../../src/demo/example-subgraph.js';
import { startHarness, type Harness } from '../graphql/support/harness.js';

const JOINED = '{ companies(first: 3, orderBy: [{ field: ID }]) { nodes { name invoices { number } } } }';

/** The example invoices service as its own process, killed outright (SIGKILL) while the gateway serves. */
describe('a remote subgraph process killed mid-way', () => {
  let h: Harness;
  let invoices: RunningExampleSubgraph;
  let dir: string;
  beforeAll(async () => {
    invoices = await spawnExampleSubgraph('invoices');
    dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-killed-'));
    writeFileSync(join(dir, 'supergraph.yaml'), `subgraphs:\n  invoices:\n    routing_url: ${invoices.url}\n    schema:\n      subgraph_url: ${invoices.url}\n    timeout_ms: 2000\n`);
    h = await startHarness('sqlite', { env: { SUPERGRAPH_CONFIG: join(dir, 'supergraph.yaml') } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await invoices?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with our data and an error naming the dead subgraph, in flight and after, twice', async () => {
    const alive = await h.gql(JOINED);
    expect(alive.body.errors).toBeUndefined();
    // Killed while requests are on their way.
    const inFlight = [h.gql(JOINED), h.gql(JOINED)];
    process.kill(invoices.pid, 'SIGKILL');
    const answers = [...(await Promise.all(inFlight)), await h.gql(JOINED), await h.gql(JOINED)];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const nodes = (answer.body.data as { companies: { nodes: { name: string; invoices: unknown }[] } }).companies.nodes;
      expect(nodes.map((n) => n.name)).toEqual(['Acme', 'Globex', 'Initech']);
    }
    const after = answers.slice(2);
    for (const answer of after) {
      expect((answer.body.data as { companies: { nodes: { invoices: unknown }[] } }).companies.nodes.every((n) => n.invoices === null)).toBe(true);
      expect(answer.body.errors?.every((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions.subgraph === 'invoices')).toBe(true);
    }
  });
});

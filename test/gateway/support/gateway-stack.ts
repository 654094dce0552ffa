import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { startInvoicesSubgraph, type InvoicesSubgraph } from '../../../examples/invoices/server.js';
import { startApp, type RunningApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { seedDatabase } from '../../graphql/support/seed.js';
import { startRatingsSubgraph, type RatingsSubgraph } from './ratings-subgraph.js';

export interface GraphQLAnswer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
  ms: number;
}

/**
 * The whole thing as `serve` runs it, on loopback: Mirrorgraph (startApp, SQLite, seeded) with a
 * supergraph.yaml naming the example invoices subgraph and a ratings subgraph, each a real HTTP
 * server. Requests go over real sockets with undici.
 */
export interface GatewayStack {
  app: RunningApp;
  url: string;
  invoices: InvoicesSubgraph;
  ratings: RatingsSubgraph;
  /** The supergraph.yaml the app watches. */
  configPath: string;
  dir: string;
  logs: Record<string, unknown>[];
  yaml(extra?: string): string;
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>, path?: string): Promise<GraphQLAnswer>;
  get(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startGatewayStack(env: Record<string, string> = {}): Promise<GatewayStack> {
  const invoices = await startInvoicesSubgraph();
  const ratings = await startRatingsSubgraph();
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-gateway-'));
  const configPath = join(dir, 'supergraph.yaml');
  const yaml = (extra = '') => `federation_version: =2.7.0
subgraphs:
  crm:
    mirrorgraph: true
  invoices:
    routing_url: ${invoices.url}
    schema:
      subgraph_url: ${invoices.url}
    propagate_headers: [authorization]
  ratings:
    routing_url: ${ratings.url}
    schema:
      subgraph_url: ${ratings.url}
    propagate_headers: []
    timeout_ms: 500
${extra}`;
  writeFileSync(configPath, yaml());
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'mirror.sqlite')}`, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SUPERGRAPH_CONFIG: configPath, ...env });
  const app = await startApp({ config, logger: createLogger('info', { destination }), schedule: false });
  await seedDatabase(app.dataSource);
  const gql: GatewayStack['gql'] = async (query, variables, headers = {}, path = '/graphql') => {
    const started = performance.now();
    const response = await request(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.body.json()) as GraphQLAnswer['body'];
    return { status: response.statusCode, body, ms: performance.now() - started };
  };
  return {
    app,
    url: app.url,
    invoices,
    ratings,
    configPath,
    dir,
    logs,
    yaml,
    gql,
    async get(path) {
      const response = await request(`${app.url}${path}`);
      return { status: response.statusCode, text: await response.body.text() };
    },
    async close() {
      await app.close();
      await Promise.allSettled([invoices.close(), ratings.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A query sent straight to a subgraph, past the gateway. */
export async function direct(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer['body']> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.body.json()) as GraphQLAnswer['body'];
}

/** Polls until `check` holds (or throws with what it last saw). */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(last)?.slice(0, 500)}`);
}

/** A sample of a Prometheus text exposition: the value of the series with exactly these labels. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    const found = Object.fromEntries(body.split(',').map((pair) => pair.split('=') as [string, string]).map(([k, v]) => [k, JSON.parse(v) as string]));
    if (Object.keys(labels).length === Object.keys(found).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

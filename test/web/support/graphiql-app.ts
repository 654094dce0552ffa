import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInvoicesSubgraph } from '../../../examples/invoices/server.js';
import { startApp, type RunningApp as StartedApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { RECORD_RESOURCE_NAMES } from '../../../src/resources/resource-table.js';

export interface RunningApp {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  /** The app itself: its database and change feed, for a test that commits a change. */
  app: StartedApp;
  close(): Promise<void>;
}

/**
 * The server the browser test opens: the real application end to end — the upstream
 * simulator, a first sync into a fresh SQLite file, the gateway composing our subgraph with the
 * example invoices subgraph, GraphiQL — on a free loopback port.
 */
export async function startGraphiqlApp(): Promise<RunningApp> {
  const simulator = await startSimulator({ port: 0, records: 800, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-browser-'));
  // As the demo does: the example invoices service composed in, so GraphiQL serves the supergraph.
  const invoices = await startInvoicesSubgraph();
  const supergraph = join(dir, 'supergraph.yaml');
  writeFileSync(supergraph, `subgraphs:\n  invoices:\n    routing_url: ${invoices.url}\n    schema:\n      subgraph_url: ${invoices.url}\n`);
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${join(dir, 'mirror.sqlite')}`,
      UPSTREAM_BASE_URL: simulator.url,
      UPSTREAM_API_KEY: 'test-key',
      UPSTREAM_USER_EMAIL: 'test@example.com',
      UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
      ADMIN_TOKEN: 'browser-test-token',
      PORT: '0',
      SYNC_SCHEDULE: 'off',
      FULL_SYNC_SCHEDULE: 'off',
      SUPERGRAPH_CONFIG: supergraph,
    },
    { upstream: true },
  );
  const app = await startApp({ config, logger: silentLogger, schedule: false });
  const runs = await app.engine.trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
  const failed = runs.filter((run) => run.status !== 'succeeded');
  if (failed.length) throw new Error(`the first sync failed: ${failed.map((r) => `${r.resource}: ${r.error}`).join('; ')}`);
  return {
    origin: app.url,
    app,
    close: async () => {
      await app.close();
      await simulator.close();
      await invoices.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

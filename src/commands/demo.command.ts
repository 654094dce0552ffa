import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { closeOnSignals, startApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { spawnExampleSubgraph } from '../demo/example-subgraph.js';
import { startSimulator } from '../simulator/index.js';
import { formatReferenceSummary, formatRunSummary, startProgressReporter } from '../sync/progress-reporter.js';
import { RECORD_RESOURCE_NAMES } from '../resources/resource-table.js';
import { startSyncScheduler } from '../sync/scheduler.js';
import { integerOption } from './simulate.command.js';

/** The demo's supergraph: our subgraph (not listed: always in) and the example invoices service. */
function writeDemoSupergraph(invoicesUrl: string): string {
  const path = resolve('data', 'demo-supergraph.yaml');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `# Written by \`npm run demo\` for the example invoices subgraph it starts (examples/invoices).
federation_version: =2.7.0
subgraphs:
  invoices:
    routing_url: ${invoicesUrl}
    schema:
      subgraph_url: ${invoicesUrl}
    propagate_headers: [authorization]
`,
  );
  return path;
}

/** The admin token of the demo when ADMIN_TOKEN is unset: local, documented, not a secret. */
export const DEMO_ADMIN_TOKEN = 'demo';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('zero setup: the built-in upstream simulator, an embedded SQLite mirror, a first sync and the GraphQL server')
    .option('--records <n>', 'records in the simulated CRM', integerOption(1, 2_000_000), 20_000)
    .option('--seed <n>', 'seed of the simulated data', integerOption(0, 2 ** 31), 42)
    .option('--hostile', 'serve hostile but legal data (emoji, 70 KB details, nulls, unknown fields)', false)
    .option('--no-example-subgraph', 'do not start the example invoices subgraph: /graphql serves the CRM subgraph alone (with SUPERGRAPH_CONFIG set, that file is used and no example starts)')
    .action(async (options: { records: number; seed: number; hostile: boolean; exampleSubgraph: boolean }) => {
      const simulator = await startSimulator({ port: 0, records: options.records, seed: options.seed, hostile: options.hostile });
      // Another team's service beside the CRM data, composed in by the gateway: the first GraphiQL tab joins the two.
      const example = options.exampleSubgraph && !process.env.SUPERGRAPH_CONFIG ? await spawnExampleSubgraph('invoices') : null;
      const supergraph = example ? { SUPERGRAPH_CONFIG: writeDemoSupergraph(example.url) } : {};
      const config = loadConfig(
        {
          DATABASE_URL: 'sqlite:./data/demo.sqlite',
          ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
          LOG_LEVEL: 'warn',
          SYNC_SCHEDULE: '*/5 * * * *',
          UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
          ...process.env,
          ...supergraph,
          UPSTREAM_BASE_URL: simulator.url,
          UPSTREAM_API_KEY: 'test-key',
          UPSTREAM_USER_EMAIL: 'test@example.com',
          UPSTREAM_API_KEY_HEADER: 'api_key',
          UPSTREAM_USER_EMAIL_HEADER: 'user_email',
        },
        { upstream: true },
      );
      const logger = createLogger(config.logLevel);
      process.stderr.write(`simulated CRM with ${options.records} records at ${simulator.url}\n`);
      if (example) process.stderr.write(`example invoices subgraph at ${example.url} (composed in by ${supergraph.SUPERGRAPH_CONFIG})\n`);
      // The scheduler would also start a first sync; the demo runs it in the foreground to show progress.
      const app = await startApp({ config, logger, schedule: false }).catch(async (error: unknown) => {
        // The child process would outlive a failed start otherwise.
        await Promise.allSettled([example?.stop(), simulator.close()]);
        throw error;
      });
      const reporter = startProgressReporter(app.engine, RECORD_RESOURCE_NAMES);
      const reference = await app.engine.syncReferenceData();
      const runs = await app.engine.trigger(RECORD_RESOURCE_NAMES, 'incremental', { wait: true });
      reporter.stop();
      process.stderr.write(`${[...reference.map(formatReferenceSummary), ...runs.map(formatRunSummary)].join('\n')}\n`);
      const scheduler = startSyncScheduler({ engine: app.engine, config, logger });
      const close = app.close;
      app.close = async () => {
        await scheduler.stop();
        await close();
        await simulator.close();
        await example?.stop();
      };
      closeOnSignals(app, logger);
      const token = config.server.adminToken === DEMO_ADMIN_TOKEN ? ` (resync: header Authorization: Bearer ${DEMO_ADMIN_TOKEN})` : '';
      process.stdout.write(`\nGraphiQL: ${app.url}/graphql${token}\nPress Ctrl-C to stop.\n`);
    });
}

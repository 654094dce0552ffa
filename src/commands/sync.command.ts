import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/data-source.js';
import { createLogger } from '../logger.js';
import { createSyncEngine } from '../sync/engine.js';
import { formatReferenceSummary, formatRunSummary, startProgressReporter } from '../sync/progress-reporter.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../resources/resource-table.js';

/**
 * `mirrorgraph sync [--full] [--resource NAME ...]`: the reference data first (every list, whole),
 * then one run per chosen resource, all at once
 * (they share one rate limiter, so concurrency costs the API nothing and lets one resource's
 * writes overlap another's requests). Exit code 0 only if every run and every reference list succeeded; a bad setting
 * throws the ConfigError (exit 2). SIGINT/SIGTERM stop the runs cleanly: the page in flight is
 * dropped or committed, the runs are recorded as interrupted, the exit code is non-zero.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('mirror the upstream API into the database once (incremental unless --full)')
    .option('--full', 'full reconcile: crawl everything and mark records gone upstream as deleted', false)
    .addOption(new Option('--resource <name...>', 'only these resources (default: all)').choices([...RECORD_RESOURCE_NAMES]))
    .action(async (options: { full: boolean; resource?: RecordResourceName[] }) => {
      const config = loadConfig(process.env, { upstream: true });
      const logger = createLogger(config.logLevel);
      const resources = options.resource ?? [...RECORD_RESOURCE_NAMES];
      const dataSource = await openDatabase(config.database);
      const engine = createSyncEngine({ config, dataSource, logger });
      let signalled: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        if (signalled) process.exit(130); // a second signal: the user insists
        signalled = signal;
        process.stderr.write(`\n${signal}: stopping after the page in flight...\n`);
        void engine.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const reporter = startProgressReporter(engine, resources);
      try {
        const reference = await engine.syncReferenceData();
        const runs = await engine.trigger(resources, options.full ? 'full' : 'incremental', { wait: true });
        reporter.stop();
        process.stderr.write(`${[...reference.map(formatReferenceSummary), ...runs.map(formatRunSummary)].join('\n')}\n`);
        const ok = runs.every((run) => run.status === 'succeeded') && reference.every((result) => !result.error);
        if (signalled) process.exitCode = signalled === 'SIGINT' ? 130 : 143;
        else if (!ok) process.exitCode = 1;
      } finally {
        reporter.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await engine.close();
        await dataSource.destroy();
      }
    });
}

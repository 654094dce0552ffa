import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/data-source.js';
import { createLogger } from '../logger.js';
import type { CapabilityView } from '../sync/capability-service.js';
import { createSyncEngine } from '../sync/engine.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../resources/resource-table.js';

/**
 * `mirrorgraph probe [--resource NAME ...] [--json]`: asks the upstream, with about ten cheap
 * requests per resource, what its search honours; stores the findings (the next sync uses them)
 * and prints each capability with its value, where that came from and what the probe saw.
 * Exit code 0 when every resource could be probed, 1 otherwise, 2 on bad configuration.
 */
export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .description('find out what the upstream search honours per resource (filters, sorts, ids, tie order) and store it')
    .addOption(new Option('--resource <name...>', 'only these resources (default: all)').choices([...RECORD_RESOURCE_NAMES]))
    .option('--json', 'print the findings as JSON', false)
    .action(async (options: { resource?: RecordResourceName[]; json: boolean }) => {
      const config = loadConfig(process.env, { upstream: true });
      const dataSource = await openDatabase(config.database);
      const engine = createSyncEngine({ config, dataSource, logger: createLogger(config.logLevel) });
      try {
        const views = await engine.probe(options.resource ?? [...RECORD_RESOURCE_NAMES]);
        process.stdout.write(options.json ? `${JSON.stringify(views.map(jsonView), null, 2)}\n` : views.map(formatView).join('\n'));
      } finally {
        await engine.close();
        await dataSource.destroy();
      }
    });
}

function jsonView(view: CapabilityView) {
  return { resource: view.resource, strategy: view.strategy, capabilities: view.effective, notes: view.probe?.notes ?? {}, probedAt: view.probe?.probedAt ?? null };
}

/** A block per resource: the strategy, then one line per capability. */
export function formatView(view: CapabilityView): string {
  const lines = view.effective.map((entry) => {
    const note = view.probe?.notes[entry.name];
    return `  ${entry.name.padEnd(17)} ${(entry.value ? 'yes' : 'no').padEnd(4)} ${entry.source.padEnd(10)} ${note ?? ''}`.trimEnd();
  });
  return `${view.resource}: strategy ${view.strategy}\n${lines.join('\n')}\n`;
}

import type { Command } from 'commander';
import { closeOnSignals, startApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('migrate, then serve GraphQL (GraphiQL at /graphql) and run the sync schedules')
    .option('--no-schedule', 'serve only: sync on demand with the resync mutation; webhook notifications are received and kept, applied by a process that schedules')
    .action(async (options: { schedule: boolean }) => {
      const config = loadConfig(process.env, { upstream: true, serving: true });
      const logger = createLogger(config.logLevel);
      const app = await startApp({ config, logger, schedule: options.schedule });
      closeOnSignals(app, logger);
      logger.info({ url: `${app.url}/graphql` }, 'mirrorgraph is serving GraphQL');
    });
}

import type { Command } from 'commander';
import { loadConfig, redactUrlPassword } from '../config.js';
import { openDatabase } from '../db/data-source.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve and sync also do this at start)')
    .action(async () => {
      const config = loadConfig();
      const ds = await openDatabase(config.database);
      await ds.destroy();
      process.stderr.write(`migrations applied to ${redactUrlPassword(config.database.url)}\n`);
    });
}

#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from './errors/index.js';
import { registerMigrateCommand } from './commands/migrate.command.js';
import { registerProbeCommand } from './commands/probe.command.js';
import { registerSimulateCommand } from './commands/simulate.command.js';
import { registerServeCommand } from './commands/serve.command.js';
import { registerSyncCommand } from './commands/sync.command.js';
import { registerDemoCommand } from './commands/demo.command.js';
import { registerKeysCommand } from './commands/keys.command.js';
import { registerComposeCommand } from './commands/compose.command.js';
import { registerWebhooksCommand } from './commands/webhooks.command.js';

/** Exit codes: 0 success, 1 failure, 2 bad configuration or usage. */
export function buildProgram(): Command {
  const program = new Command('mirrorgraph')
    .description('An exact MySQL mirror of a CRM REST API, served as a typed GraphQL API.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerSyncCommand(program);
  registerProbeCommand(program);
  registerMigrateCommand(program);
  registerDemoCommand(program);
  registerSimulateCommand(program);
  registerKeysCommand(program);
  registerComposeCommand(program);
  registerWebhooksCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`mirrorgraph: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);

import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDriftSpec, parseFaultSpec, runSimulatorCli } from '../simulator/index.js';

export function integerOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the built-in simulator of the upstream CRM API (for demos, tests and benchmarks)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerOption(0, 65_535), 4010)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--records <n>', 'records across the four resources', integerOption(0, 50_000_000), 10_000)
    .option('--seed <n>', 'seed of the generated data', integerOption(0, 2 ** 31), 1)
    .option('--hostile', 'include hostile but legal values (emoji, 70 KB details, huge ids, nulls, unknown fields)', false)
    .addOption(new Option('--envelope <kind>', 'response shape').choices(['data', 'bare']).default('data'))
    .option('--faults <spec>', 'fault plan, e.g. "503,503,reset" or "random:0.05:429,503,reset"')
    .option('--drift <spec>', 'drift between requests, e.g. "every=20,modify=2,remove=1,create=1"')
    .option('--rate-limit', 'enforce the real API limit of 180 requests a minute', false)
    .addHelpText(
      'after',
      '\nCredentials it accepts: header api_key = test-key, header user_email = test@example.com.\n' +
        'Test hooks: GET /__simulator/records/<resource> lists the live records (no auth).',
    )
    .action(async (opts: { port: number; host: string; records: number; seed: number; hostile: boolean; envelope: 'data' | 'bare'; faults?: string; drift?: string; rateLimit: boolean }) => {
      await runSimulatorCli({
        ...opts,
        faults: opts.faults ? parseFaultSpec(opts.faults) : undefined,
        drift: opts.drift ? parseDriftSpec(opts.drift) : undefined,
      });
    });
}

import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  parseBehaviourSpec, parseDriftSpec, parseFaultSpec, parseResourceCounts, parseWebhookSpec, runSimulatorCli, SEARCH_PROFILES,
  type ResourceName, type SearchBehaviour, type SearchProfile, type SimulatorCliOptions,
} from '../simulator/index.js';

export function integerOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

type Behaviours = Partial<Record<ResourceName, Partial<SearchBehaviour>>>;
type Counts = Partial<Record<ResourceName, number>>;

/** Repeatable `--behaviour`: one resource each, later flags adding to earlier ones. */
function behaviourOption(value: string, previous: Behaviours = {}): Behaviours {
  const { resource, behaviour } = asArgumentError(() => parseBehaviourSpec(value));
  return { ...previous, [resource]: { ...previous[resource], ...behaviour } };
}

/** Repeatable `--null-cursors` / `--tie-block`: `people=450`, several resources by comma or by repeating. */
function countsOption(value: string, previous: Counts = {}): Counts {
  return { ...previous, ...asArgumentError(() => parseResourceCounts(value)) };
}

/** Commander prefixes an InvalidArgumentError with the flag and the value it got. */
function asArgumentError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

export interface SimulateFlags {
  port: number;
  host: string;
  records: number;
  seed: number;
  hostile: boolean;
  envelope: 'data' | 'bare';
  faults?: string;
  drift?: string;
  rateLimit: boolean;
  profile: SearchProfile;
  behaviour?: Behaviours;
  nullCursors?: Counts;
  tieBlock?: Counts;
  tieBlockSharesCreated: boolean;
  webhooks?: string;
}

/** What the parsed flags ask of the simulator. */
export function simulatorOptionsFrom(flags: SimulateFlags): SimulatorCliOptions {
  return {
    ...flags,
    faults: flags.faults ? parseFaultSpec(flags.faults) : undefined,
    drift: flags.drift ? parseDriftSpec(flags.drift) : undefined,
    webhooks: flags.webhooks ? parseWebhookSpec(flags.webhooks) : undefined,
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
    .addOption(
      new Option('--profile <name>', 'what searches honour: honest (everything) or copper (the least Copper documents)')
        .choices(SEARCH_PROFILES)
        .default('honest'),
    )
    .option(
      '--behaviour <spec>',
      'one resource\'s search behaviour on top of the profile, repeatable, e.g. "people:sort=ignored,ties=unstable,modified=ignored,created=ignored,ids=ignored,cap=empty"',
      behaviourOption,
    )
    .option('--null-cursors <resource=count>', 'records with date_modified null or missing, e.g. "people=450" (repeatable)', countsOption)
    .option('--tie-block <resource=size>', 'size of the same-second tie block, e.g. "people=1200" (0: none; repeatable)', countsOption)
    .option('--tie-block-shares-created', 'the tie block shares date_created too, like a bulk import', false)
    .option('--webhooks <spec>', 'how notifications are delivered, e.g. "http,loss=0.1,duplicates=0.05,delay=0-900000,reorder,wrong-secret" (http: accept http:// targets)')
    .addHelpText(
      'after',
      '\nCredentials it accepts: header api_key = test-key, header user_email = test@example.com.\n' +
        'Webhooks: POST/GET /v1/webhooks, GET/DELETE /v1/webhooks/<id> (same credentials).\n' +
        'Test hooks: GET /__simulator/records/<resource> lists the live records (no auth).',
    )
    .action(async (flags: SimulateFlags) => {
      await runSimulatorCli(simulatorOptionsFrom(flags));
    });
}

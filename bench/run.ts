import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startThrowawayMariaDb } from '../test/support/mariadb-server.js';
import { COMPILED_DIR, compileProject } from './lib/compile.js';
import { mariadbPid } from './lib/cpu.js';
import { createContext, SIZES, type BenchContext, type Profile } from './lib/context.js';
import { serverVersion } from './lib/database.js';
import { markdownTable, type ScenarioResult } from './lib/report.js';
import { useCompiledWorkers } from './lib/worker.js';
import { formatProfileSummary, summariseProfile } from './profile-summary.js';
import { runGatewayBench } from './gateway.bench.js';
import { DEFAULT_PEERS_OPTIONS, runPeersBench, type PeersOptions } from './peers/peers.bench.js';
import { runGraphqlBench } from './graphql.bench.js';
import { runRateLimitBench } from './rate-limit.bench.js';
import { runRealtimeBench } from './realtime.bench.js';
import { runReferenceBench } from './reference.bench.js';
import { runRequestCostBench } from './request-cost.bench.js';
import { runSoakBench } from './soak.bench.js';
import { runSyncBench } from './sync.bench.js';

/**
 * `npm run bench [-- --tiny | --full] [--only sync,graphql] [--soak-seconds N] [--profile] [--tsx]`
 * `npm run bench -- --peers [--peers-rounds N] [--peers-seconds N] [--peers-warmup N] [--peers-records N] [--peers-soft-delete PERCENT] [--peers-update-doc]`
 *   runs only the side-by-side comparison with PostGraphile (bench/peers/), never part of a default run.
 *
 * Runs the scenarios against one throwaway MariaDB (a fresh database each), prints every figure
 * beside its baseline as a Markdown table and writes bench/results/latest.json. Exits 0 unless a
 * scenario crashed: a missed target is reported, not a failure. Nothing is timed against a limit.
 * The workers run the project compiled by tsc (as in production); `--tsx` runs them under tsx.
 */
const SCENARIOS = {
  sync: runSyncBench,
  'request-cost': runRequestCostBench,
  'rate-limit': runRateLimitBench,
  realtime: runRealtimeBench,
  graphql: runGraphqlBench,
  reference: runReferenceBench,
  gateway: runGatewayBench,
  soak: runSoakBench,
} as const satisfies Record<string, (ctx: BenchContext) => Promise<ScenarioResult>>;
/** Run only when asked (`--peers` or `--only peers`): it installs PostgreSQL and PostGraphile. */
const OPT_IN_SCENARIOS = ['peers'] as const;
type ScenarioName = keyof typeof SCENARIOS | (typeof OPT_IN_SCENARIOS)[number];

interface Options {
  profile: Profile;
  only: ScenarioName[];
  soakSeconds?: number;
  cpuProfile: boolean;
  tsx: boolean;
  peers: PeersOptions;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { profile: 'default', only: Object.keys(SCENARIOS) as ScenarioName[], cpuProfile: false, tsx: false, peers: { ...DEFAULT_PEERS_OPTIONS } };
  const peersInteger = (arg: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${arg}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--tiny') options.profile = 'tiny';
    else if (arg === '--full') options.profile = 'full';
    else if (arg === '--profile') options.cpuProfile = true;
    else if (arg === '--tsx') options.tsx = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = (arg.includes('=') ? arg.slice('--only='.length) : value()).split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = list.filter((name) => !(name in SCENARIOS) && !(OPT_IN_SCENARIOS as readonly string[]).includes(name));
      if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')}; expected some of ${[...Object.keys(SCENARIOS), ...OPT_IN_SCENARIOS].join(', ')}`);
      options.only = list as ScenarioName[];
    } else if (arg === '--soak-seconds' || arg.startsWith('--soak-seconds=')) {
      const text = arg.includes('=') ? arg.slice('--soak-seconds='.length) : value();
      const n = Number(text);
      if (!Number.isInteger(n) || n < 5 || n > 3_600) throw new Error(`--soak-seconds: expected an integer from 5 to 3600, got ${JSON.stringify(text)}`);
      options.soakSeconds = n;
    } else if (arg === '--peers') options.only = ['peers'];
    else if (arg === '--peers-update-doc') options.peers.updateDoc = true;
    else if (/^--peers-(rounds|seconds|warmup|records|soft-delete)(=|$)/.test(arg)) {
      const name = arg.replace(/=.*$/, '');
      const text = arg.includes('=') ? arg.slice(name.length + 1) : value();
      if (name === '--peers-rounds') options.peers.rounds = peersInteger(name, text, 1, 50);
      else if (name === '--peers-seconds') options.peers.seconds = peersInteger(name, text, 1, 600);
      else if (name === '--peers-warmup') options.peers.warmupSeconds = peersInteger(name, text, 0, 600);
      else if (name === '--peers-soft-delete') options.peers.softDeletePercent = peersInteger(name, text, 0, 50);
      else options.peers.records = peersInteger(name, text, 100, 1_000_000);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('npm run bench -- [--tiny | --full] [--only sync,request-cost,rate-limit,graphql,gateway,soak,peers] [--soak-seconds N] [--profile] [--tsx]\n');
      process.stdout.write('npm run bench -- --peers [--peers-rounds 6] [--peers-seconds 10] [--peers-warmup 3] [--peers-records N] [--peers-soft-delete 0] [--peers-update-doc]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)} (see --help)`);
  }
  return options;
}

function machine(mariadb: string) {
  let cpuModel = cpus()[0]?.model ?? '?';
  try {
    cpuModel = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim() || cpuModel;
  } catch {
    // keep os.cpus()
  }
  return { nproc: cpus().length, cpu: cpuModel, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, mariadb };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sizes = structuredClone(SIZES[options.profile]);
  if (options.soakSeconds) sizes.soak.seconds = options.soakSeconds;
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = options.cpuProfile ? join(resultsDir, 'profiles') : undefined;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) rmSync(join(profileDir, file));
  }

  const began = Date.now();
  const [mariadb, compiled] = await Promise.all([
    startThrowawayMariaDb(),
    options.tsx
      ? Promise.resolve(undefined)
      : // A peers run compiles into a folder of its own: node_modules (and so COMPILED_DIR) may be shared with other checkouts' runs.
        compileProject(options.only.includes('peers') ? `${COMPILED_DIR}-peers` : COMPILED_DIR).catch((error: unknown) => {
          process.stderr.write(`bench: could not compile the project (${error instanceof Error ? error.message : String(error)}); running the workers under tsx\n`);
          return undefined;
        }),
  ]);
  useCompiledWorkers(compiled);
  const results: ScenarioResult[] = [];
  const crashes: { scenario: string; error: string }[] = [];
  let about: ReturnType<typeof machine> | undefined;
  try {
    about = machine(await serverVersion(mariadb.url));
    process.stderr.write(`bench: ${options.profile} run of ${options.only.join(', ')} (workers ${compiled ? 'compiled by tsc' : 'under tsx'}) on ${about.nproc} cores, ${about.memoryGb} GB, Node ${about.node}, MariaDB ${about.mariadb}\n`);
    const ctx = createContext({ profile: options.profile, sizes, serverUrl: mariadb.url, mariadbPid: await mariadbPid(mariadb.url), profileDir });
    for (const name of options.only) {
      const started = Date.now();
      try {
        const result = name === 'peers' ? await runPeersBench(ctx, options.peers) : await SCENARIOS[name](ctx);
        results.push(result);
        ctx.log(`${name}: done in ${((Date.now() - started) / 1_000).toFixed(0)} s`);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        crashes.push({ scenario: name, error: message });
        ctx.log(`${name}: CRASHED\n${message}`);
      }
    }
  } finally {
    await mariadb.stop();
  }

  const rows = results.flatMap((r) => r.rows);
  const seconds = Math.round((Date.now() - began) / 1_000);
  const lines = [
    '',
    `## Benchmark results (${options.profile}, ${new Date().toISOString()}, ${seconds} s)`,
    '',
    about ? `Machine: ${about.nproc} cores (${about.cpu}), ${about.memoryGb} GB, Node ${about.node}, MariaDB ${about.mariadb}. Workers ${options.tsx ? 'under tsx' : 'compiled by tsc'}.` : '',
    '',
    markdownTable(rows),
    '',
    ...results.flatMap((r) => r.notes.map((note) => `- ${r.scenario}: ${note}`)),
    ...crashes.map((c) => `- ${c.scenario}: CRASHED: ${c.error.split('\n')[0]}`),
    // The side-by-side table, ready for BENCHMARKS.md.
    ...results.flatMap((r) => (typeof r.data.markdown === 'string' ? ['', r.data.markdown] : [])),
  ];
  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
      lines.push('', formatProfileSummary(summariseProfile(join(profileDir, file), 30), 12));
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(
    join(resultsDir, 'latest.json'),
    `${JSON.stringify({ profile: options.profile, finishedAt: new Date().toISOString(), seconds, machine: about, options, rows, results, crashes }, null, 2)}\n`,
  );
  process.exitCode = crashes.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

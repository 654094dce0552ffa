import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { serverVersion } from '../lib/database.js';
import { loadTest, queryOnce, type LoadResult } from '../lib/load.js';
import { fmt, type ScenarioResult, type TableRow } from '../lib/report.js';
import { startWorker } from '../lib/worker.js';
import { fillDatabase, GRAPHQL_ENV } from '../graphql.bench.js';
import { copyToPostgres, softDeleteSome, type CopyReport } from './copy.js';
import { ensurePeerInstalls } from './install.js';
import { describe, firstDifference, normalise, OPERATION_IDS, OPERATION_LABELS, peerOperation, type Dialect, type PeerOperationId } from './operations.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.js';

/**
 * `npm run bench -- --peers`: Mirrorgraph beside PostGraphile on the same data.
 *
 * The GraphQL benchmark's records are written into MariaDB (as `graphql` does) and copied into a
 * throwaway PostgreSQL (copy.ts: same columns, same indexes, live rows exposed through views).
 * Four servers: Mirrorgraph on Node 20 (this Node) and on Node 24, PostGraphile 5 on Node 24,
 * PostGraphile 4 on Node 20 (scratch installs, install.ts). Every server must give the same
 * answer to each operation (normalised, floats within a relative tolerance) or nothing is
 * reported. Then, per operation, `rounds` rounds; in each, every server in turn (the order
 * rotated from round to round) gets a warm-up and a measured autocannon run. Reported: median
 * req/s, min-max over the rounds, and the ratios Mirrorgraph / PostGraphile on the same Node.
 */
export interface PeersOptions {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Records written (default: the profile's graphql records, 100,000). */
  records?: number;
  /** Soft-delete this % of every table's rows before the copy (0: the data as generated, which has none). */
  softDeletePercent: number;
  /** Replace the block between the peers markers in BENCHMARKS.md with this run's. */
  updateDoc: boolean;
}

export const DEFAULT_PEERS_OPTIONS: PeersOptions = { rounds: 6, seconds: 10, warmupSeconds: 3, connections: 10, softDeletePercent: 0, updateDoc: false };

type ServerId = 'mg20' | 'mg24' | 'pg5' | 'pg4';
interface PeerServer {
  id: ServerId;
  label: string;
  dialect: Dialect;
  url: string;
  node: string;
  stop(): Promise<void>;
}

const SERVER_ORDER: readonly ServerId[] = ['mg20', 'mg24', 'pg5', 'pg4'];

export const BEGIN_MARKER = '<!-- peers:begin (npm run bench -- --peers --peers-update-doc rewrites this block) -->';
export const END_MARKER = '<!-- peers:end -->';

/** Starts a PostGraphile server script (bench/peers/pg*-server.mjs) and waits for `READY <url>`. */
async function startPostGraphile(script: string, node: string, install: string, databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PEERS_INSTALL: install, PEERS_DATABASE_URL: databaseUrl };
  delete env.NODE_OPTIONS;
  const child = spawn(node, [join(__dirname, script)], { cwd: install, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${script}] ${chunk.toString()}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within 120 s:\n${stderr}`));
    }, 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`));
    });
  });
  return { url, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Cell {
  rounds: number[];
  median: number;
  min: number;
  max: number;
  p50: number[];
  p99: number[];
  errors: number;
}

export async function runPeersBench(ctx: BenchContext, options: PeersOptions): Promise<ScenarioResult> {
  const records = options.records ?? ctx.sizes.graphql.records;
  const { rounds, seconds, warmupSeconds, connections } = options;
  const perRun = warmupSeconds + seconds;
  const estimateMin = (OPERATION_IDS.length * SERVER_ORDER.length * rounds * (perRun + 0.5)) / 60;
  ctx.log(
    `peers: ${fmt.int(records)} records; ${OPERATION_IDS.length} operations x ${SERVER_ORDER.length} servers x ${rounds} rounds x (${warmupSeconds} s warm-up + ${seconds} s), ${connections} connections: about ${estimateMin.toFixed(1)} min of load, plus setup (installs on a first run, filling, copying)`,
  );
  const began = Date.now();
  const loadBefore = loadavg()[0];

  const setup = await Promise.allSettled([
    ensurePeerInstalls(ctx.log),
    (async () => {
      ctx.log(`peers: filling a MariaDB database with ${fmt.int(records)} records`);
      return fillDatabase(ctx, 'peers', records);
    })(),
    startThrowawayPostgres(ctx.log),
  ] as const);
  const failed = setup.find((r) => r.status === 'rejected');
  if (failed) {
    if (setup[2].status === 'fulfilled') await setup[2].value.stop();
    throw failed.reason;
  }
  const [installs, db, pg] = setup.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [Awaited<ReturnType<typeof ensurePeerInstalls>>, Awaited<ReturnType<typeof fillDatabase>>, ThrowawayPostgres];
  const mariadb = await serverVersion(ctx.serverUrl);
  const servers: PeerServer[] = [];
  const children: ChildProcess[] = [];
  let copied: CopyReport[];
  try {
    ctx.log(`peers: PostgreSQL ${pg.version} at ${pg.url}; Node 24 is ${installs.node24Version} (${installs.node24}); ${Object.entries(installs.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (options.softDeletePercent > 0) {
      const deleted = await softDeleteSome(db, options.softDeletePercent);
      ctx.log(`peers: soft-deleted ${options.softDeletePercent}% of the rows in MariaDB before the copy: ${Object.entries(deleted).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    }
    copied = await copyToPostgres(db, pg, ctx.log);
    const setupSeconds = (Date.now() - began) / 1_000;

    // Mirrorgraph twice (same worker, two Nodes), PostGraphile 5 on Node 24, 4 on Node 20.
    const mirrorgraph = async (id: ServerId, node: string, label: string) => {
      const worker = await startWorker<{ url: string }>('graphql-server.worker.ts', { kind: 'real', databaseUrl: db.url, env: GRAPHQL_ENV }, { env: { NODE_ENV: 'production' }, execPath: node });
      servers.push({ id, label, dialect: 'mirrorgraph', url: worker.started.url, node, stop: async () => void (await worker.stop()) });
    };
    const postgraphile = async (id: ServerId, script: string, node: string, install: string, label: string) => {
      const { url, child } = await startPostGraphile(script, node, install, pg.url);
      children.push(child);
      servers.push({ id, label, dialect: id === 'pg5' ? 'postgraphile5' : 'postgraphile4', url, node, stop: () => stopChild(child) });
    };
    const node20 = process.version;
    await mirrorgraph('mg20', process.execPath, `Mirrorgraph, Node ${node20}`);
    await mirrorgraph('mg24', installs.node24, `Mirrorgraph, Node ${installs.node24Version}`);
    await postgraphile('pg5', 'pg5-server.mjs', installs.node24, installs.pg5, `PostGraphile ${installs.versions['postgraphile (v5)']}, Node ${installs.node24Version}`);
    await postgraphile('pg4', 'pg4-server.mjs', process.execPath, installs.pg4, `PostGraphile ${installs.versions['postgraphile (v4)']}, Node ${node20}`);
    servers.sort((a, b) => SERVER_ORDER.indexOf(a.id) - SERVER_ORDER.indexOf(b.id));
    for (const s of servers) ctx.log(`peers: ${s.label} at ${s.url}`);

    // The same answers everywhere, or no numbers.
    const reference = servers[0];
    const first = await queryOnce<{ data: { people: { nodes: { id: string }[] } } }>(reference.url, { name: 'an id', query: '{ people(first: 1) { nodes { id } } }' });
    const personId = first.data.people.nodes[0]?.id;
    if (!personId) throw new Error('peers: the database has no live person');
    const unavailable = new Map<string, string>();
    for (const op of OPERATION_IDS) {
      const expected = normalise('mirrorgraph', op, await queryOnce(reference.url, peerOperation('mirrorgraph', op, personId)));
      ctx.log(`peers: ${OPERATION_LABELS[op]}: ${describe(op, expected)}`);
      for (const server of servers.slice(1)) {
        let body: unknown;
        try {
          body = await queryOnce(server.url, peerOperation(server.dialect, op, personId));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // Only the aggregates plugin may be missing on a server; anything else is a failure.
          if (op === 'stats' && server.dialect !== 'mirrorgraph') {
            unavailable.set(`${op}:${server.id}`, message.slice(0, 300));
            ctx.log(`peers: ${server.label}: grouped stats not available: ${message.slice(0, 300)}`);
            continue;
          }
          throw error;
        }
        const difference = firstDifference(expected, normalise(server.dialect, op, body));
        if (difference) {
          throw new Error(`peers: ${server.label} answers "${OPERATION_LABELS[op]}" differently from ${reference.label}, so no numbers are reported. First difference (${reference.id} vs ${server.id}): ${difference}`);
        }
      }
    }
    ctx.log('peers: every server gives the same answers to the four operations');

    // Rounds: per operation, every server in turn, the order rotated each round.
    const cells = new Map<string, Cell>();
    for (const op of OPERATION_IDS) {
      for (let round = 0; round < rounds; round++) {
        const order = SERVER_ORDER.map((_, i) => SERVER_ORDER[(i + round) % SERVER_ORDER.length]);
        for (const id of order) {
          if (unavailable.has(`${op}:${id}`)) continue;
          const server = servers.find((s) => s.id === id)!;
          const operation = peerOperation(server.dialect, op, personId);
          if (warmupSeconds > 0) await loadTest(server.url, [operation], { seconds: warmupSeconds, connections });
          const load: LoadResult = await loadTest(server.url, [operation], { seconds, connections });
          const key = `${op}:${id}`;
          const cell = cells.get(key) ?? { rounds: [], median: 0, min: 0, max: 0, p50: [], p99: [], errors: 0 };
          cell.rounds.push(load.requestsPerSecond);
          cell.p50.push(load.p50);
          cell.p99.push(load.p99);
          cell.errors += load.non2xx + load.graphqlErrors + load.socketErrors;
          cells.set(key, cell);
        }
        const line = order
          .filter((id) => cells.has(`${op}:${id}`))
          .map((id) => `${id} ${fmt.int(cells.get(`${op}:${id}`)!.rounds[round])}`)
          .join(', ');
        ctx.log(`peers: ${OPERATION_LABELS[op]}, round ${round + 1}/${rounds}: ${line} req/s`);
      }
    }
    for (const cell of cells.values()) {
      cell.median = median(cell.rounds);
      cell.min = Math.min(...cell.rounds);
      cell.max = Math.max(...cell.rounds);
    }

    const totalSeconds = Math.round((Date.now() - began) / 1_000);
    const label = (id: ServerId) => servers.find((s) => s.id === id)!.label;
    const cellText = (op: PeerOperationId, id: ServerId) => {
      const cell = cells.get(`${op}:${id}`);
      if (!cell) return `not available (${unavailable.get(`${op}:${id}`) ?? 'not measured'})`;
      return `${fmt.int(cell.median)} (${fmt.int(cell.min)}–${fmt.int(cell.max)})`;
    };
    const ratio = (op: PeerOperationId, a: ServerId, b: ServerId) => {
      const x = cells.get(`${op}:${a}`);
      const y = cells.get(`${op}:${b}`);
      return x && y ? fmt.ratio(x.median, y.median) : 'n/a';
    };
    const errors = [...cells.values()].reduce((n, c) => n + c.errors, 0);
    const date = new Date().toISOString();
    const command = `npm run bench -- --peers${options.rounds !== DEFAULT_PEERS_OPTIONS.rounds ? ` --peers-rounds ${options.rounds}` : ''}${options.seconds !== DEFAULT_PEERS_OPTIONS.seconds ? ` --peers-seconds ${options.seconds}` : ''}${options.warmupSeconds !== DEFAULT_PEERS_OPTIONS.warmupSeconds ? ` --peers-warmup ${options.warmupSeconds}` : ''}${options.softDeletePercent ? ` --peers-soft-delete ${options.softDeletePercent}` : ''}${options.records !== undefined ? ` --peers-records ${options.records}` : ctx.profile !== 'default' ? ` --${ctx.profile}` : ''}`;
    const markdown = [
      BEGIN_MARKER,
      `Measured ${date.slice(0, 16).replace('T', ' ')} UTC with \`${command}\` (${totalSeconds} s in all, setup ${Math.round(setupSeconds)} s): ${fmt.int(records)} records, ${copied.map((c) => `${c.table} ${fmt.int(c.live)} live of ${fmt.int(c.rows)}`).join(', ')}; autocannon ${connections} connections, ${seconds} s measured after ${warmupSeconds} s warm-up, ${rounds} rounds, order rotated each round. MariaDB ${mariadb.split('-')[0]} vs PostgreSQL ${pg.version.split(' ')[0]} on the same machine (load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after). Median req/s (min–max over the rounds); errors during the load: ${errors}.`,
      '',
      `| operation | ${SERVER_ORDER.map(label).join(' | ')} | Mirrorgraph / PostGraphile 5 (Node 24) | Mirrorgraph / PostGraphile 4 (Node 20) |`,
      `| --- | ${SERVER_ORDER.map(() => '---:').join(' | ')} | ---: | ---: |`,
      ...OPERATION_IDS.map((op) => `| ${OPERATION_LABELS[op]} | ${SERVER_ORDER.map((id) => cellText(op, id)).join(' | ')} | ${ratio(op, 'mg24', 'pg5')} | ${ratio(op, 'mg20', 'pg4')} |`),
      END_MARKER,
    ].join('\n');

    const resultsDir = join(__dirname, '..', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'peers.md'), `${markdown}\n`);
    if (options.updateDoc) {
      const doc = join(__dirname, '..', '..', 'BENCHMARKS.md');
      const text = readFileSync(doc, 'utf8');
      const start = text.indexOf(BEGIN_MARKER);
      const end = text.indexOf(END_MARKER);
      if (start < 0 || end < start) ctx.log('peers: --peers-update-doc: BENCHMARKS.md has no peers block to replace; left alone');
      else {
        writeFileSync(doc, text.slice(0, start) + markdown + text.slice(end + END_MARKER.length));
        ctx.log('peers: BENCHMARKS.md: the peers block now holds this run');
      }
    }

    const rows: TableRow[] = [];
    // Each Mirrorgraph beside the PostGraphile on the same Node.
    const pairs = [
      { ours: 'mg24', peer: 'pg5', node: 'Node 24', name: 'PostGraphile 5' },
      { ours: 'mg20', peer: 'pg4', node: 'Node 20', name: 'PostGraphile 4' },
    ] as const;
    for (const op of OPERATION_IDS) {
      for (const pair of pairs) {
        rows.push({
          scenario: 'peers',
          measure: `${OPERATION_LABELS[op]}: median req/s (range), ${pair.node}: Mirrorgraph vs ${pair.name}`,
          ours: cellText(op, pair.ours),
          baseline: `${pair.name} ${cellText(op, pair.peer)}`,
          ratio: ratio(op, pair.ours, pair.peer),
        });
      }
    }
    rows.push({ scenario: 'peers', measure: 'errors during the load (non-2xx, GraphQL errors, socket errors)', ours: fmt.int(errors), target: '0', met: errors === 0 });
    rows.push({ scenario: 'peers', measure: 'the four servers answer the four operations alike (normalised)', ours: unavailable.size ? `same, except not available: ${[...unavailable.keys()].join(', ')}` : 'same answers', met: true });
    return {
      scenario: 'peers',
      rows,
      data: {
        records,
        options,
        servers: servers.map((s) => ({ id: s.id, label: s.label, node: s.node })),
        postgres: pg.version,
        installs: installs.versions,
        copied,
        cells: Object.fromEntries(cells),
        unavailable: Object.fromEntries(unavailable),
        markdown,
      },
      notes: [
        `MariaDB vs PostgreSQL ${pg.version.split(' ')[0]}: the databases differ, so the ratios compare whole stacks (server + database), not the GraphQL layers alone. PostGraphile reads views of the live rows (deleted_at IS NULL) with smart-comment keys; Mirrorgraph filters deleted_at itself. The table for BENCHMARKS.md is in bench/results/peers.md.`,
      ],
    };
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await Promise.allSettled(children.map((c) => stopChild(c)));
    await pg.stop();
  }
}

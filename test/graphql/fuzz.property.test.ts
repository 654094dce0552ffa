import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, getNamedType, isEnumType, isInputObjectType, isObjectType, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { Client, Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInvoicesSubgraph, type InvoicesSubgraph } from '../../examples/invoices/server.js';
import { openDatabase } from '../../src/db/data-source.js';
import { CLIENT_ERROR_CODES } from '../../src/schema/errors.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/mariadb-server.js';
import { GeneratedOperation, OperationGenerator, operationArbitrary, setCursorPool, truncate } from './support/operation-arbitrary.js';
import { seedDatabase } from './support/seed.js';

/**
 * Property: whatever valid-looking operation a client sends (generated from the running
 * server's own schema: every root field, every input type, nested filters, huge lists, extreme
 * numbers and strings, real and tampered cursors), sent twice (the first run interpreted by
 * graphql-js, the second compiled by graphql-jit: GRAPHQL_JIT_AFTER=1, production's path), the
 * server answers every time within the timeout, below 500, with JSON carrying `data` or
 * `errors`, every error a client error code (never INTERNAL_SERVER_ERROR), the same `data` both
 * runs; and at the end /healthz answers and the process's RSS grew less than the bound.
 *
 * The server is `mirrorgraph serve` in its own process on loopback, spoken to over real HTTP,
 * so a hang or a heap blow-up fails the property instead of freezing the test runner; a server
 * that hangs or dies is killed and replaced, and fast-check shrinks to a small operation.
 *
 * Environment (all optional):
 *   GRAPHQL_EXECUTOR=graphql-js   run the server without graphql-jit (finds what the jit crash masks)
 *   FUZZ_TARGETS=mysql,sqlite,gateway  which servers (default all three): `gateway` is SQLite with
 *                                 SUPERGRAPH_CONFIG composing the example invoices subgraph in,
 *                                 fuzzed from the supergraph's schema
 *   FUZZ_RUNS=100 FUZZ_TIME_MS=…  runs and time budget per dialect; FUZZ_SEED=… to replay
 *   FUZZ_SURVEY=1                 do not stop at the first failure: run everything and list each
 *                                 distinct failure with its smallest example (still fails if any)
 */

const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
const EXECUTOR = process.env.GRAPHQL_EXECUTOR ?? 'jit';
type TargetName = Dialect | 'gateway';
const TARGETS = (process.env.FUZZ_TARGETS ?? 'mysql,sqlite,gateway').split(',').map((d) => d.trim()) as TargetName[];
const SURVEY = process.env.FUZZ_SURVEY === '1';
const RUNS: Record<string, number> = { mysql: 150, sqlite: 100, gateway: 80 };
const TIME_MS: Record<string, number> = { mysql: 20_000, sqlite: 12_000, gateway: 12_000 };
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const REQUEST_TIMEOUT_MS = 10_000;
/** Fastify's default body limit, which the server keeps. */
const BODY_LIMIT_BYTES = 1_048_576;
/** A request still running after this long makes the watchdog ask /healthz whether the event loop still turns. */
const WATCHDOG_AFTER_MS = 1_000;
const HEALTH_TIMEOUT_MS = 750;
const HEALTH_MISSES = 3;
/**
 * On Node 22+ V8 grows the heap further before it collects, and keeps what it grew: on Node 24
 * the gateway's RSS grew 40 to 315 MB over 80 operations (one large-variables operation can add
 * 60 to 80 MB at once) and 133 to 300 MB over 400, so the growth does not scale with the work
 * done, as a leak's would (2026-12-02, FUZZ_RUNS=400). On Node 20 the gateway grew 43 MB in the same CI run.
 */
const RSS_GROWTH_LIMIT_MB = Number(process.versions.node.split('.')[0]) >= 22 ? 450 : 300;
/** The child's heap is capped so that a runaway compile aborts it rather than the machine. */
const CHILD_HEAP_MB = 2_048;

// ---------------------------------------------------------------------------------------------
// The server process

class ServerProcess {
  readonly pool: Pool;
  private readonly health: Client;
  private readonly lines: string[] = [];
  private stderr = '';
  broken = false;

  private constructor(
    readonly child: ChildProcess,
    readonly origin: string,
  ) {
    this.pool = new Pool(origin, { connections: 2, pipelining: 1 });
    this.health = new Client(origin);
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line) this.lines.push(line.slice(0, 20_000));
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-8_000)));
  }

  /** Started with SUPERGRAPH_CONFIG: `/graphql` is the gateway's. */
  gateway = false;

  static async start(databaseUrl: string, extraEnv: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, '--import', 'tsx', CLI, 'serve', '--no-schedule'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        // Never contacted (--no-schedule, no resync): serve only insists that they are set.
        UPSTREAM_BASE_URL: 'http://127.0.0.1:9',
        UPSTREAM_API_KEY: 'fuzz-upstream-key',
        UPSTREAM_USER_EMAIL: 'fuzz@example.com',
        SYNC_SCHEDULE: 'off',
        FULL_SYNC_SCHEDULE: 'off',
        LOG_LEVEL: 'error',
        GRAPHQL_EXECUTOR: EXECUTOR,
        GRAPHQL_JIT_AFTER: '1',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    server.gateway = 'SUPERGRAPH_CONFIG' in extraEnv;
    // Never outlive the test process, even when it is stopped before afterAll.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`serve exited at start (${child.exitCode ?? child.signalCode}):\n${server.output()}`);
      if (await server.healthy(1_000, '/readyz')) return server;
      if (Date.now() > deadline) {
        server.kill();
        throw new Error(`serve did not become ready within 30 s:\n${server.output()}`);
      }
      await sleep(150);
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async healthy(timeoutMs = HEALTH_TIMEOUT_MS, path = '/healthz'): Promise<boolean> {
    try {
      const response = await this.health.request({ path, method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
      await response.body.text();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }

  /** Resident set size of the server process, from /proc. */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }

  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }

  /** Error-level log lines of one request (the real error behind a 500 or INTERNAL_SERVER_ERROR). */
  logsOf(requestId: string | undefined): string[] {
    if (!requestId) return [];
    return this.lines
      .filter((l) => l.includes(requestId))
      .map((l) => {
        try {
          const entry = JSON.parse(l) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
          const stack = entry.err?.stack?.split('\n').slice(1, 4).map((s) => s.trim()).join(' | ');
          return `${entry.msg}: ${entry.err?.type ?? ''} ${truncate(entry.err?.message ?? '', 400)}${stack ? ` @ ${stack}` : ''}`;
        } catch {
          return truncate(l, 400);
        }
      });
  }

  output(): string {
    return `${this.lines.slice(-20).join('\n')}\n${this.stderr}`.trim().slice(-4_000);
  }

  exitDescription(): string {
    return `exit ${this.child.exitCode ?? this.child.signalCode}; stderr: ${truncate(this.stderr.trim().split('\n').slice(-6).join(' | '), 800)}`;
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
    void this.pool.destroy().catch(() => {});
    void this.health.destroy().catch(() => {});
  }
}

/** The server under test, replaced (from a warm spare after the first time) when it hangs or dies. */
class Fleet {
  current!: ServerProcess;
  private spare: Promise<ServerProcess> | undefined;
  private readonly started = new Set<ServerProcess>();
  private stopped = false;
  restarts = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  async start(): Promise<void> {
    this.current = await this.spawn();
  }

  /** A working server: the current one unless it hung, timed out or died. */
  async ready(): Promise<ServerProcess> {
    // fast-check's time limit abandons a running predicate rather than stopping it: once the
    // fleet is stopped, such a straggler must not start servers nobody will stop.
    if (this.stopped) throw new Error('the fuzz run is over');
    if (this.current.broken || !this.current.alive) {
      this.current.kill();
      this.restarts++;
      this.current = await (this.spare ?? this.spawn());
      this.spare = this.spawn();
      this.spare.catch(() => {});
    }
    return this.current;
  }

  private async spawn(): Promise<ServerProcess> {
    const server = await ServerProcess.start(this.databaseUrl, this.extraEnv);
    this.started.add(server);
    if (this.stopped) server.kill();
    return server;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.spare?.catch(() => undefined);
    for (const server of this.started) server.kill();
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and what every answer must satisfy

interface GraphQLErrorShape {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; [key: string]: unknown };
}
interface Answer {
  status: number;
  requestId: string | undefined;
  ms: number;
  text: string;
  json?: { data?: unknown; errors?: GraphQLErrorShape[] };
}

class FuzzFailure extends Error {
  constructor(
    readonly kind: string,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(server: ServerProcess, body: string, run: string): Promise<Answer> {
  const controller = new AbortController();
  let settled = false;
  let hung = false;
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  // After a while without an answer, ask /healthz whether the event loop still turns.
  let watchdog: Promise<void> = Promise.resolve();
  const watchdogTimer = setTimeout(() => {
    watchdog = (async () => {
      let misses = 0;
      while (!settled) {
        if (await server.healthy()) misses = 0;
        else if (++misses >= HEALTH_MISSES && !settled) {
          hung = true;
          controller.abort();
          return;
        }
        await sleep(250);
      }
    })();
  }, WATCHDOG_AFTER_MS);
  try {
    const response = await server.pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: controller.signal,
    });
    const text = await response.body.text();
    const requestId = response.headers['x-request-id'] as string | undefined;
    let json: Answer['json'];
    try {
      json = JSON.parse(text) as Answer['json'];
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, requestId, ms: performance.now() - started, text, json };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    // A body over the server's limit is refused with a 413 while the client may still be
    // writing: the server closes the connection, so the client can see EPIPE or a reset instead.
    // That is a refusal, not a failure, as long as the server stays up and keeps answering.
    if (Buffer.byteLength(body) > BODY_LIMIT_BYTES && server.alive && (await server.healthy())) {
      return { status: 413, requestId: undefined, ms, text: '', json: { errors: [{ message: 'Request body is too large', extensions: { code: 'BAD_REQUEST' } }] } };
    }
    server.broken = true;
    await sleep(50);
    if (!server.alive) throw new FuzzFailure('server process died', `during the ${run} after ${ms} ms (${server.exitDescription()})`);
    if (hung) throw new FuzzFailure('server hung', `the ${run} got no answer and /healthz stopped answering (event loop blocked) after ${ms} ms; RSS ${server.rssMb().toFixed(0)} MB`);
    if (controller.signal.aborted) throw new FuzzFailure('request timeout', `the ${run} took more than ${REQUEST_TIMEOUT_MS} ms (the server still answered /healthz); RSS ${server.rssMb().toFixed(0)} MB`);
    throw new FuzzFailure('connection error', `the ${run}: ${String(error)}`);
  } finally {
    settled = true;
    clearTimeout(timer);
    clearTimeout(watchdogTimer);
    await watchdog;
  }
}

const codeOf = (e: GraphQLErrorShape): string => (typeof e.extensions?.code === 'string' ? e.extensions.code : '(no code)');

/** What every answer must satisfy; throws a FuzzFailure naming the first broken rule. */
function check(server: ServerProcess, answer: Answer, run: string): void {
  const where = () => {
    const logs = server.logsOf(answer.requestId);
    return ` [${run}, HTTP ${answer.status}, ${Math.round(answer.ms)} ms]${logs.length ? `\n    server log: ${logs.join('\n    server log: ')}` : ''}`;
  };
  if (!answer.json || typeof answer.json !== 'object') throw new FuzzFailure('not JSON', `${truncate(answer.text, 500)}${where()}`);
  const errors = answer.json.errors;
  const first = errors?.[0];
  const summary = (e: GraphQLErrorShape | undefined) => (e ? `${codeOf(e)}: ${truncate(String(e.message), 600)}${e.path ? ` at ${JSON.stringify(e.path)}` : ''}` : '(no errors)');
  if (answer.status >= 500) throw new FuzzFailure(`HTTP ${answer.status}`, `${summary(first)}${where()}`);
  if (!('data' in answer.json) && !errors) throw new FuzzFailure('neither data nor errors', `${truncate(answer.text, 500)}${where()}`);
  if (errors !== undefined && (!Array.isArray(errors) || errors.length === 0)) throw new FuzzFailure('malformed errors', `${truncate(answer.text, 500)}${where()}`);
  for (const e of errors ?? []) {
    if (typeof e.message !== 'string') throw new FuzzFailure('error without message', `${truncate(JSON.stringify(e), 500)}${where()}`);
    const code = codeOf(e);
    if (code === 'INTERNAL_SERVER_ERROR') throw new FuzzFailure('INTERNAL_SERVER_ERROR', `${summary(e)}${where()}`);
    if (server.gateway && isDanglingReference(e)) continue;
    if (!CLIENT_ERROR_CODES.has(code)) throw new FuzzFailure(`error code ${code}`, `not a client error code: ${summary(e)}${where()}`);
  }
}

let sends = 0;

/** Sends the operation twice (interpreted, then compiled) and checks both answers and their parity. */
/**
 * The example invoices service makes up invoices for any company id it is asked about; for an id
 * the mirror does not have, our `_entities` answers null (as it must) and the gateway reports
 * the non-null fields of that Company it cannot fill, at `…, "company", <field>`. That is
 * federation's answer to a reference another service holds and the CRM does not, not a fault.
 */
function isDanglingReference(error: GraphQLErrorShape): boolean {
  const path = Array.isArray(error.path) ? error.path : [];
  return /^Cannot return null for non-nullable field Company\.\w+\.$/.test(String(error.message)) && path[path.length - 2] === 'company';
}

async function exercise(fleet: Fleet, op: GeneratedOperation): Promise<void> {
  const server = await fleet.ready();
  // A comment makes the text new to Apollo's document cache, so that the first send is the
  // document's first (interpreted) run and the second its first compiled one, whatever ran before.
  const { query, variablesJson } = op.render();
  const body = `{"query":${JSON.stringify(`# fuzz ${++sends}\n${query}`)},"operationName":"Fuzz","variables":${variablesJson}}`;
  const first = await post(server, body, '1st run (graphql-js)');
  check(server, first, '1st run (graphql-js)');
  const secondRun = EXECUTOR === 'jit' ? '2nd run (compiled by graphql-jit)' : '2nd run';
  const second = await post(server, body, secondRun);
  check(server, second, secondRun);
  const data = [first.json?.data, second.json?.data];
  if (!isDeepStrictEqual(data[0], data[1])) {
    const show = (a: Answer) => truncate(`HTTP ${a.status} ${a.text}`, 800);
    throw new FuzzFailure('executor parity', `the two runs answered different data:\n    1st: ${show(first)}\n    2nd: ${show(second)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Setup: seeded database, server, schema by introspection, real cursors

interface Target {
  name: TargetName;
  /** The example subgraph the gateway target composes in. */
  invoices?: InvoicesSubgraph;
  db: TestDatabase;
  fleet: Fleet;
  schema: GraphQLSchema;
  cursors: string[];
  baselineRssMb: number;
}

async function gql(server: ServerProcess, query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const answer = await post(server, JSON.stringify({ query }), 'setup request');
  if (!answer.json) throw new Error(`setup request failed: HTTP ${answer.status} ${truncate(answer.text, 500)}`);
  return answer.json as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** Real cursors of every connection root field, under the default order and a few orderBy keys from the schema. */
async function harvestCursors(server: ServerProcess, schema: GraphQLSchema): Promise<string[]> {
  const cursors = new Set<string>();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    const type = getNamedType(field.type);
    if (!isObjectType(type) || !type.getFields().edges) continue;
    const orderArg = field.args.find((a) => a.name === 'orderBy');
    const orderInput = orderArg && getNamedType(orderArg.type);
    const enumType = orderInput && isInputObjectType(orderInput) ? getNamedType(orderInput.getFields().field.type) : undefined;
    const keys = enumType && isEnumType(enumType) ? enumType.getValues().map((v) => v.name) : [];
    const orders = ['', ...keys.slice(0, 3).map((k, i) => `orderBy: [{ field: ${k}, direction: ${i % 2 ? 'DESC' : 'ASC'} }]`), keys.length > 2 ? `orderBy: [{ field: ${keys[1]} }, { field: ${keys[keys.length - 1]}, direction: DESC }]` : ''];
    for (const order of orders.filter((o, i) => i === 0 || o)) {
      const result = await gql(server, `{ ${field.name}(first: 3${order ? `, ${order}` : ''}, includeDeleted: true) { edges { cursor } pageInfo { startCursor endCursor } } }`);
      const connection = result.data?.[field.name] as { edges: { cursor: string }[] } | undefined;
      for (const edge of connection?.edges ?? []) cursors.add(edge.cursor);
    }
  }
  return [...cursors];
}

async function startTarget(name: TargetName): Promise<Target> {
  const db = await createTestDatabase(name === 'gateway' ? 'sqlite' : name);
  const dataSource = await openDatabase(db.config);
  await seedDatabase(dataSource);
  await dataSource.destroy();
  let invoices: InvoicesSubgraph | undefined;
  const env: Record<string, string> = {};
  if (name === 'gateway') {
    invoices = await startInvoicesSubgraph();
    const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-fuzz-gateway-'));
    env.SUPERGRAPH_CONFIG = join(dir, 'supergraph.yaml');
    writeFileSync(env.SUPERGRAPH_CONFIG, `subgraphs:\n  invoices:\n    routing_url: ${invoices.url}\n    schema:\n      subgraph_url: ${invoices.url}\n`);
  }
  const fleet = new Fleet(db.url, env);
  await fleet.start();
  const server = fleet.current;
  const introspection = await gql(server, getIntrospectionQuery());
  if (!introspection.data) throw new Error(`introspection failed: ${JSON.stringify(introspection.errors)}`);
  const schema = buildClientSchema(introspection.data as unknown as IntrospectionQuery);
  const cursors = await harvestCursors(server, schema);
  return { name, invoices, db, fleet, schema, cursors, baselineRssMb: server.rssMb() };
}

interface Seen {
  bytes: number;
  kind: string;
  count: number;
  example: string;
  detail: string;
}

/** The failure's kind and message with numbers and quoted text blurred: one entry per distinct bug. */
const signature = (f: FuzzFailure): string =>
  `${f.kind} | ${f.detail
    .split('\n')[0]
    .replace(/\[(1st|2nd) run[^\]]*\]/g, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 140)}`;

// ---------------------------------------------------------------------------------------------

describe(`fuzzing the GraphQL API from its schema (executor ${EXECUTOR}${SURVEY ? ', survey' : ''})`, () => {
  const targets = new Map<TargetName, Promise<Target>>();
  beforeAll(async () => {
    // The servers start at once; each test awaits its own.
    for (const name of TARGETS) {
      const started = startTarget(name);
      started.catch(() => {});
      targets.set(name, started);
    }
    await Promise.allSettled(targets.values());
  });
  afterAll(async () => {
    for (const started of targets.values()) {
      const target = await started.catch(() => undefined);
      await target?.fleet.stop();
      await target?.invoices?.close();
      await target?.db.drop();
    }
  });

  for (const dialect of TARGETS) {
    const runs = Number(process.env.FUZZ_RUNS ?? RUNS[dialect] ?? 60);
    const timeMs = Number(process.env.FUZZ_TIME_MS ?? TIME_MS[dialect] ?? 12_000);
    it(
      `on ${dialect}: ${runs} generated operations, each sent twice over HTTP, never a 5xx, INTERNAL_SERVER_ERROR, hang or unbounded RSS`,
      async () => {
        const target = await targets.get(dialect)!;
        setCursorPool(target.cursors);
        expect(target.cursors.length, 'real cursors harvested for after/before').toBeGreaterThan(10);
        const generator = new OperationGenerator(target.schema);
        // The generator covers the schema: every root field and the recursive filters.
        // The supergraph has no _entities (that is the subgraph's), and has the invoices service's root fields.
        const roots = dialect === 'gateway' ? ['companies', 'opportunityStats', 'invoices'] : ['companies', 'opportunityStats', '_entities'];
        expect(generator.rootFields.map((f) => f.name)).toEqual(expect.arrayContaining(roots));
        expect(generator.reachableInputTypes()).toEqual(expect.arrayContaining(['CompanyWhere', 'OpportunityWhere', 'FloatFilter', 'DateTimeFilter', ...(dialect === 'gateway' ? [] : ['_Any'])]));

        const seen = new Map<string, Seen>();
        let executed = 0;
        const property = fc.asyncProperty(operationArbitrary(target.schema), async (op) => {
          executed++;
          try {
            await exercise(target.fleet, op);
          } catch (error) {
            if (!SURVEY || !(error instanceof FuzzFailure)) throw error;
            const traits = op.traits();
            const key = `${signature(error)} | ${traits.mode}${traits.inputObjectVariables ? ', input-object variables' : ''}${traits.nesting > 10 ? ', deep' : ''}`;
            const example = op.toString();
            const entry = seen.get(key);
            if (!entry) seen.set(key, { kind: error.kind, count: 1, example, detail: error.detail, bytes: traits.bytes });
            else {
              entry.count++;
              if (traits.bytes < entry.bytes) Object.assign(entry, { example, detail: error.detail, bytes: traits.bytes });
            }
          }
        });
        const details = await fc.check(property, {
          numRuns: runs,
          seed: SEED,
          plugins: [fc.interruptAfterTimeLimit(timeMs)],
          verbose: 0,
        });

        if (SURVEY && details.failed) {
          // Not a failure of the server's: the test itself broke.
          throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
        }
        if (SURVEY) {
          const report = [...seen.values()]
            .sort((a, b) => b.count - a.count)
            .map((s, i) => `#${i + 1} ${s.kind} (${s.count}×)\n  ${s.detail.replace(/\n/g, '\n  ')}${s.example}`)
            .join('\n\n');
          console.info(`[fuzz ${dialect}/${EXECUTOR}] ${executed} operations, ${target.fleet.restarts} server restarts, ${seen.size} distinct failures\n\n${report}`);
          expect(report, `${seen.size} distinct failures on ${dialect}`).toBe('');
        } else if (details.failed) {
          const error = details.errorInstance;
          const message = error instanceof FuzzFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
          throw new Error(
            `Property failed after ${details.numRuns} operations on ${dialect} (executor ${EXECUTOR}), shrunk ${details.numShrinks} times` +
              `${details.interrupted ? ' (shrinking cut short by the time limit)' : ''}; replay with FUZZ_SEED=${details.seed} ` +
              `(fast-check path ${details.counterexamplePath}); ${target.fleet.restarts} server restarts.\n` +
              `Counterexample:${details.counterexample ? String((details.counterexample as unknown as [GeneratedOperation])[0]) : ' (none)'}\nFailure: ${message}`,
          );
        }
        expect(details.numRuns, 'operations run before the time limit').toBeGreaterThan(10);

        // Still alive, and no memory kept from the run.
        const server = await target.fleet.ready();
        expect(await server.healthy(5_000), '/healthz answers at the end').toBe(true);
        if (target.fleet.restarts === 0) {
          const growth = server.rssMb() - target.baselineRssMb;
          console.info(`[fuzz ${dialect}/${EXECUTOR}] ${details.numRuns} runs, RSS ${target.baselineRssMb.toFixed(0)} → ${server.rssMb().toFixed(0)} MB (peak ${server.peakRssMb().toFixed(0)} MB)`);
          expect(growth, `RSS growth of the server in MB (${target.baselineRssMb.toFixed(0)} MB at start)`).toBeLessThan(RSS_GROWTH_LIMIT_MB);
          // Both executors really ran: the second sends were compiled.
          const metrics = await (await server.pool.request({ path: '/metrics', method: 'GET' })).body.text();
          const executions = (executor: string) => Number(new RegExp(`mirrorgraph_graphql_executions_total\\{[^}]*executor="${executor}"[^}]*\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
          expect(executions('graphql-js'), 'interpreted executions').toBeGreaterThan(0);
          if (EXECUTOR === 'jit') expect(executions('jit'), 'compiled executions').toBeGreaterThan(0);
        }
      },
      timeMs + 60_000,
    );
  }
});

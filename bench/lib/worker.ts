import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * A benchmark worker: a child Node process (tsx) driven over IPC, so what it measures (time,
 * RSS, CPU profile) is its own and not the load generator's, the simulator's or the
 * orchestrator's. The parent sends `start`, then any number of `call`s, then `stop`; the worker
 * answers each by id. A worker that dies fails every pending call with its exit code and stderr.
 */

type Message =
  | { kind: 'start'; id: number; input: unknown }
  | { kind: 'call'; id: number; name: string; args: unknown }
  | { kind: 'stop'; id: number };

type Reply = { kind: 'reply'; id: number; ok: true; value: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

export interface WorkerHandlers<I, S> {
  /** Resolves with what the parent needs to know (a URL, a result). */
  start(input: I): Promise<S>;
  calls?: Record<string, (args: never) => Promise<unknown>>;
  /** Cleans up; resolves with a final report. The process then exits on its own. */
  stop?(): Promise<unknown>;
}

/** Runs in the worker: answers the parent's messages with the handlers. */
export function serveWorker<I, S>(handlers: WorkerHandlers<I, S>): void {
  if (!process.send) throw new Error('a bench worker must be started by bench/lib/worker.ts (no IPC channel)');
  const reply = (message: Reply) => process.send!(message);
  let stopping = false;
  // An orphan must not outlive the run (the orchestrator crashed or was killed).
  process.on('disconnect', () => {
    if (!stopping) process.exit(1);
  });
  process.on('message', (message: Message) => {
    const work = async (): Promise<unknown> => {
      if (message.kind === 'start') return handlers.start(message.input as I);
      if (message.kind === 'stop') {
        stopping = true;
        const report = handlers.stop ? await handlers.stop() : null;
        // Let the reply go out, then close the channel so the process can exit (and --cpu-prof write its profile).
        setImmediate(() => process.disconnect?.());
        return report;
      }
      const handler = handlers.calls?.[message.name];
      if (!handler) throw new Error(`worker has no call named ${message.name}`);
      return handler(message.args as never);
    };
    work().then(
      (value) => reply({ kind: 'reply', id: message.id, ok: true, value }),
      (error: unknown) => reply({ kind: 'reply', id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

export interface WorkerOptions {
  /** Directory for `--cpu-prof` output; no profiling when unset. */
  cpuProfileDir?: string;
  /** Name of the profile file (`--cpu-prof-name`). */
  cpuProfileName?: string;
  env?: Record<string, string>;
  /** Extra V8/Node flags. */
  execArgv?: string[];
  /** The Node executable to run the worker with; `process.execPath` (this Node) when unset. */
  execPath?: string;
}

export interface BenchWorker<S> {
  readonly pid: number;
  readonly started: S;
  call<T = unknown>(name: string, args?: unknown): Promise<T>;
  /** Asks the worker to clean up, waits for its report and its exit. */
  stop<T = unknown>(): Promise<T>;
  /** Ends it at once (SIGKILL), for cleanup after a failure. */
  kill(): void;
}

const WORKERS_DIR = join(__dirname, '..', 'workers');
/** When set, workers run from this compiled copy of the project (plain node, no tsx). */
let compiledRoot: string | undefined;

/** Runs every later worker from the project compiled into `root` (see compile.ts). */
export function useCompiledWorkers(root: string | undefined): void {
  compiledRoot = root;
}

/** Forks `bench/workers/<name>`, sends `start` with `input`, resolves once it has answered. */
export async function startWorker<S>(name: string, input: unknown, options: WorkerOptions = {}): Promise<BenchWorker<S>> {
  const script = compiledRoot ? join(compiledRoot, 'bench', 'workers', name.replace(/\.ts$/, '.js')) : join(WORKERS_DIR, name);
  const execArgv = [...(compiledRoot ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])];
  if (options.cpuProfileDir) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
    if (options.cpuProfileName) execArgv.push(`--cpu-prof-name=${options.cpuProfileName}`);
  }
  const child: ChildProcess = fork(script, [], {
    execArgv,
    ...(options.execPath ? { execPath: options.execPath } : {}),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-8_000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${text}`);
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      for (const { reject } of pending.values()) reject(new Error(`worker ${name} exited (code ${code}, signal ${signal}) before answering:\n${stderr}`));
      pending.clear();
      resolve();
    });
  });
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(`worker ${name}: ${message.error}\n--- worker stderr ---\n${stderr}`));
  });
  const send = <T>(message: Omit<Message, 'id'>): Promise<T> => {
    if (exited) return Promise.reject(new Error(`worker ${name} has exited:\n${stderr}`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...message, id });
    });
  };
  let started: S;
  try {
    started = await send<S>({ kind: 'start', input } as Omit<Message, 'id'>);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid: child.pid!,
    started,
    call: <T>(callName: string, args?: unknown) => send<T>({ kind: 'call', name: callName, args } as Omit<Message, 'id'>),
    async stop<T>() {
      const report = await send<T>({ kind: 'stop' } as Omit<Message, 'id'>);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
      return report;
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}

import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** The example subgraphs under `examples/`, each with a `main.ts` that prints `{"<name>":"<url>"}`. */
export type ExampleSubgraphName = 'invoices';

export interface RunningExampleSubgraph {
  url: string;
  /** The child's process id, for checks that it is gone after stop(). */
  pid: number;
  /** SIGTERM, then SIGKILL if the child is still there after 3 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const KILL_AFTER_MS = 3_000;
const STDERR_LINES_KEPT = 20;
// src/demo/ (run through tsx) and dist/demo/ (compiled) both sit two levels below the repo root.
const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Starts an example subgraph as a child process and resolves with its url once it has printed
 * its ready line. The child's stderr is kept (last 20 lines) and shown only if it fails: at
 * start (rejecting, with those lines in the message) or by exiting on its own later.
 * `cwd` is the child's working directory (default: the repo root); it must resolve `tsx`.
 */
export async function spawnExampleSubgraph(
  name: ExampleSubgraphName,
  options: { port?: number; cwd?: string } = {},
): Promise<RunningExampleSubgraph> {
  const entry = resolve(REPO_ROOT, 'examples', name, 'main.ts');
  if (!existsSync(entry)) {
    throw new Error(`example subgraph "${name}": ${entry} does not exist (is examples/ missing from this install?)`);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', String(options.port ?? 0), '--stop-with-stdin'], {
    cwd: options.cwd ?? REPO_ROOT,
    // A pipe on stdin that closes when this process ends, however it ends: the child then stops too.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrTail = keepLastLines(child.stderr, STDERR_LINES_KEPT);
  let stopRequested = false;
  const stop = once(() => {
    stopRequested = true;
    return stopChild(child);
  });
  let url: string;
  try {
    url = await waitForReadyLine(child, name);
  } catch (error) {
    await stop();
    const tail = stderrTail();
    if (tail.length > 0) process.stderr.write(`${tail.join('\n')}\n`);
    const detail = tail.length > 0 ? `; its last stderr lines:\n${tail.join('\n')}` : '; it wrote nothing to stderr';
    throw new Error(`example subgraph "${name}": ${(error as Error).message}${detail}`);
  }
  child.once('exit', (code, signal) => {
    if (stopRequested) return;
    process.stderr.write(`example subgraph "${name}" exited on its own (${signal ?? `code ${code}`}):\n${stderrTail().join('\n')}\n`);
  });
  return { url, pid: child.pid!, stop };
}

/** True too for a child that never started (spawn failed): no exit event will come. */
function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the url of the child's first stdout line, `{"<name>":"<url>"}`; later lines are drained unread. */
function waitForReadyLine(child: ChildProcessByStdio<Writable, Readable, Readable>, name: string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout });
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      child.off('exit', onExit).off('error', reject);
      lines.removeAllListeners('line');
      // Keep reading, so a chatty child never blocks on a full pipe.
      lines.on('line', () => {});
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no ready line on stdout within ${READY_TIMEOUT_MS / 1000} s`))),
      READY_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => reject(new Error(`exited before it was ready (${signal ?? `code ${code}`})`)));
    child.once('exit', onExit).once('error', (error) => finish(() => reject(error)));
    lines.once('line', (line) => finish(() => {
      const url = readyUrl(line, name);
      if (url) resolveUrl(url);
      else reject(new Error(`its first stdout line is not {"${name}":"<url>"}: ${line.slice(0, 200)}`));
    }));
  });
}

function readyUrl(line: string, name: string): string | undefined {
  try {
    const value: unknown = (JSON.parse(line) as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Collects a child's stderr; the returned function gives its last `count` lines. */
function keepLastLines(stderr: Readable, count: number): () => string[] {
  const tail: string[] = [];
  createInterface({ input: stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > count) tail.shift();
  });
  return () => [...tail];
}

function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolveStopped) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStopped();
    });
    child.kill('SIGTERM');
  });
}

/** `fn` run at most once; later calls share its promise. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

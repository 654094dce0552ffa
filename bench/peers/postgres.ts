import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/mariadb-server.js';

/**
 * A throwaway PostgreSQL server for the side-by-side benchmark: Debian's binaries (installed
 * with apt-get when missing), a fresh data directory in /tmp owned by the `postgres` system user
 * (initdb and postgres refuse to run as root), a free loopback port, the socket in that
 * directory, trust authentication for local connections. Stopped and removed by `stop()`.
 */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/mirror` */
  url: string;
  port: number;
  /** The socket directory (psql -h). */
  socketDir: string;
  version: string;
  bin: string;
  /** Runs SQL through psql (ON_ERROR_STOP), optionally with data on stdin (COPY FROM STDIN). */
  psql(sql: string): Promise<string>;
  stop(): Promise<void>;
}

const DATABASE = 'mirror';

function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = execFileSync('ls', [root], { encoding: 'utf8' })
    .split('\n')
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** The binaries' directory, installing Debian's postgresql package when there is none. */
export function ensurePostgresInstalled(log: (message: string) => void): string {
  let bin = findBinDir();
  if (bin) return bin;
  log('peers: PostgreSQL is not installed: running apt-get install -y postgresql (Debian packages)');
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  bin = findBinDir();
  if (!bin) throw new Error('apt-get install postgresql left no /usr/lib/postgresql/*/bin/postgres');
  return bin;
}

/** Runs a command as the postgres user when we are root (initdb and postgres refuse root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8_000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ').slice(0, 200)} exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

export async function startThrowawayPostgres(log: (message: string) => void): Promise<ThrowawayPostgres> {
  const bin = ensurePostgresInstalled(log);
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-postgres-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const root = process.getuid?.() === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) {
      const [cmd, args] = asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      await run(cmd, args).catch((error: unknown) => log(`peers: pg_ctl stop failed: ${error instanceof Error ? error.message : String(error)}`));
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    {
      const [cmd, args] = asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
      await run(cmd, args);
    }
    // Comparable to the bench's MariaDB (256 MB buffer pool, relaxed durability); durability does not matter for reads.
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c shared_buffers=256MB',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      "-c timezone='UTC'",
      '-c max_connections=200',
      '-c log_min_messages=warning',
    ].join(' ');
    {
      const [cmd, args] = asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
      started = true;
      await run(cmd, args);
    }
    const psqlBin = join(bin, 'psql');
    const psqlAt = (database: string, sql: string) => run(psqlBin, ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', database], sql);
    await psqlAt('postgres', `CREATE DATABASE ${DATABASE} ENCODING 'UTF8' TEMPLATE template0`);
    const version = (await psqlAt(DATABASE, 'SHOW server_version')).trim();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${DATABASE}`,
      port,
      socketDir: dir,
      version,
      bin,
      psql: (sql) => psqlAt(DATABASE, sql),
      stop,
    };
  } catch (error) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2_000) : '';
    await stop();
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}${tail ? `\n--- postgres.log ---\n${tail}` : ''}`);
  }
}

/** Streams `rows` (CSV lines) into `COPY table (columns) FROM STDIN` through psql. */
export function copyIn(pg: ThrowawayPostgres, table: string, columns: string[]): { write(chunk: string): Promise<void>; end(): Promise<void> } {
  const child = spawn(join(pg.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', pg.socketDir, '-p', String(pg.port), '-U', 'postgres', '-d', DATABASE, '-c', `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8_000)));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`COPY ${table} failed (psql exited ${code}): ${err}`))));
  });
  exited.catch(() => undefined);
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error(`COPY ${table}: psql exited early: ${err}`));
        if (child.stdin.write(chunk)) resolve();
        else child.stdin.once('drain', resolve);
      }),
    end: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import mysql from 'mysql2/promise';

/**
 * A throwaway MariaDB server for tests and benchmarks: a fresh data directory in /tmp, a free
 * loopback port, root without a password. Nothing of the machine's own MariaDB is touched.
 */
export interface ThrowawayMariaDb {
  /** `mysql://root@127.0.0.1:PORT/` (no database: callers create their own). */
  url: string;
  /** The server process, for tests that freeze it (SIGSTOP) or kill it. */
  pid: number;
  stop(): Promise<void>;
}

const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

function findBinary(names: string[]): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...SEARCH_PATH]) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startThrowawayMariaDb(): Promise<ThrowawayMariaDb> {
  const server = findBinary(['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  if (!server || !installDb) {
    throw new Error(
      'The integration tests need a MariaDB server binary (expected mariadbd and mariadb-install-db on PATH or in /usr/sbin, found none).\n' +
        'Install it with:  sudo apt-get install -y mariadb-server   (Debian/Ubuntu)\n' +
        'or point the tests at a server you run:  TEST_MYSQL_URL=mysql://root:pass@127.0.0.1:3306/ npm test',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-mariadb-'));
  const dataDir = join(dir, 'data');
  // Its own directory for on-disk temporary tables, not /tmp: large sorts spill files there that
  // must outlive the statement, and a shared /tmp is cleaned by others (a removed file fails the
  // statement with "Error on delete of '/tmp/#sql-temptable-...'").
  const tmpDir = join(dir, 'tmp');
  mkdirSync(tmpDir);
  execFileSync(
    installDb,
    [`--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--user=root', '--skip-test-db'],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--tmpdir=${tmpDir}`,
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=256M',
      '--innodb-flush-log-at-trx-commit=2',
      '--skip-log-bin',
      '--max-connections=500',
      '--skip-name-resolve',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `mysql://root@127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      await connection.end();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`MariaDB did not start on 127.0.0.1:${port}: ${String(error)}\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) child.kill('SIGCONT');
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

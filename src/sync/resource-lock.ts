import { createHash } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { isMysql } from './write-gate.js';

/**
 * One writer per resource across processes. On MySQL/MariaDB a named lock,
 * `GET_LOCK('mirrorgraph:sync:<resource>:<database>', 0)`, held on a dedicated connection for
 * the run: the server releases it if the process dies, so a kill never leaves it stuck. The
 * database name is part of the lock because lock names are server-wide and two mirrors (say
 * staging and production) may share a server. SQLite has no named locks and one file is not
 * meant to be synced by several processes; there, `localLocks` covers several engines in one
 * process.
 */
export interface HeldLock {
  readonly name: string;
  release(): Promise<void>;
}

const localLocks = new Set<string>();

/** What a lock serialises per resource: its sync runs, or the applying of its webhook notifications. */
export type LockPurpose = 'sync' | 'webhooks';

/** The lock, or null when another process (or engine) holds it. Never waits. */
export async function acquireResourceLock(dataSource: DataSource, resource: string, purpose: LockPurpose = 'sync'): Promise<HeldLock | null> {
  const name = lockName(dataSource, resource, purpose);
  return isMysql(dataSource) ? acquireNamedLock(dataSource, name) : acquireLocalLock(name);
}

function acquireLocalLock(name: string): HeldLock | null {
  if (localLocks.has(name)) return null;
  localLocks.add(name);
  return { name, release: async () => void localLocks.delete(name) };
}

async function acquireNamedLock(dataSource: DataSource, name: string): Promise<HeldLock | null> {
  const runner: QueryRunner = dataSource.createQueryRunner('master');
  try {
    await runner.connect();
    const rows = (await runner.query('SELECT GET_LOCK(?, 0) AS got', [name])) as { got: number | string | null }[];
    if (Number(rows[0]?.got) !== 1) {
      await runner.release();
      return null;
    }
  } catch (error) {
    await runner.release().catch(() => undefined);
    throw error;
  }
  return {
    name,
    release: async () => {
      try {
        await runner.query('SELECT RELEASE_LOCK(?)', [name]);
      } catch {
        // The connection is gone, and the server released the lock with it.
      } finally {
        await runner.release().catch(() => undefined);
      }
    },
  };
}

/** At most 64 characters (MySQL's limit): long database names are shortened to a hash. */
export function lockName(dataSource: DataSource, resource: string, purpose: LockPurpose = 'sync'): string {
  const options = dataSource.options as { database?: unknown; host?: unknown; port?: unknown };
  const database = String(options.database ?? '');
  const name = `mirrorgraph:${purpose}:${resource}:${database}`;
  if (!isMysql(dataSource)) return `${name}@sqlite`;
  if (name.length <= 64) return name;
  return `mirrorgraph:${purpose}:${resource}:${createHash('sha256').update(database).digest('hex').slice(0, 16)}`;
}

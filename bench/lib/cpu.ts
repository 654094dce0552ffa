import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { connectionOptions } from './database.js';

/** CPU seconds (user + system) used so far by this process. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** CPU seconds used so far by another process (Linux /proc), or null where it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The MariaDB server's process id, from its pid file (the throwaway server runs on this machine). */
export async function mariadbPid(serverUrl: string): Promise<number | null> {
  const connection = await mysql.createConnection(connectionOptions(new URL(serverUrl)));
  try {
    const [rows] = await connection.query('SELECT @@pid_file AS pidFile');
    const file = String((rows as { pidFile: string }[])[0]?.pidFile ?? '');
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  } finally {
    await connection.end();
  }
}

/** CPU used by a set of processes between `start()` and `stop()`. */
export class CpuMeter {
  private readonly before = new Map<string, number | null>();

  constructor(private readonly pids: Record<string, number | null>) {}

  start(): this {
    for (const [name, pid] of Object.entries(this.pids)) this.before.set(name, pid === null ? null : processCpuSeconds(pid));
    return this;
  }

  /** CPU seconds per process name (null where unknown). */
  stop(): Record<string, number | null> {
    return Object.fromEntries(
      Object.entries(this.pids).map(([name, pid]) => {
        const before = this.before.get(name);
        const after = pid === null ? null : processCpuSeconds(pid);
        return [name, before == null || after == null ? null : Math.round((after - before) * 10) / 10];
      }),
    );
  }
}

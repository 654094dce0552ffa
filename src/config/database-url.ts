/**
 * @file DATABASE_URL as a kind: a MySQL, MariaDB or SQLite URL turned into a DatabaseConfig.
 */
import { custom, type Parsed } from './kinds.js';
import { singleAuthority } from './redact.js';
import type { DatabaseConfig } from './types.js';

const EXPECTED = 'mysql://user:pass@host:port/db, mariadb://user:pass@host:port/db or sqlite:<path> (percent-encode @, / and : inside the user or password)';

export function parseDatabaseUrl(url: string): Parsed<DatabaseConfig> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path) return { ok: true, value: { kind: 'sqlite', url, path } };
  } else if (/^(mysql|mariadb):\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
      // A second `@` means a password with a raw `@` in it: the parse above split it wrongly.
      if (parsed.hostname && database && !database.includes('/') && singleAuthority(url)) {
        const value: DatabaseConfig = {
          kind: 'mysql',
          flavor: parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql',
          url,
          host: parsed.hostname,
          port: parsed.port ? Number(parsed.port) : 3306,
          username: decodeURIComponent(parsed.username) || 'root',
          password: decodeURIComponent(parsed.password),
          database,
        };
        return { ok: true, value };
      }
    } catch {
      // refused below
    }
  }
  return { ok: false, expected: EXPECTED };
}

export const databaseUrl = custom<DatabaseConfig>('database URL', parseDatabaseUrl, (value) => value.url);

/** The parsed form of a URL known to be good (a default). */
export function databaseConfig(url: string): DatabaseConfig {
  const parsed = parseDatabaseUrl(url);
  if (!parsed.ok) throw new Error(`not a database URL: ${url}`);
  return parsed.value;
}

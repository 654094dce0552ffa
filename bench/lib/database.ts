import mysql from 'mysql2/promise';
import { loadConfig, type DatabaseConfig } from '../../src/config.js';

/** One fresh, empty database on the run's throwaway MariaDB server, per scenario. */
export interface BenchDatabase {
  name: string;
  /** DATABASE_URL for the workers. */
  url: string;
  config: Extract<DatabaseConfig, { kind: 'mysql' }>;
}

export async function createBenchDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
  const server = new URL(serverUrl);
  const admin = await mysql.createConnection(connectionOptions(server));
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString() }).database;
  if (config.kind !== 'mysql') throw new Error('the benchmarks run on MySQL/MariaDB only');
  return { name, url: url.toString(), config };
}

/** mysql2 options for a server URL (root, no password on the throwaway server). */
export function connectionOptions(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
  };
}

/** mysql2 pool options for a bench database, with the same types and time zone the app uses. */
export function poolOptions(database: BenchDatabase['config'], connectionLimit: number): mysql.PoolOptions {
  return {
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
    database: database.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectionLimit,
  };
}

/** `SELECT VERSION()` of the server. */
export async function serverVersion(serverUrl: string): Promise<string> {
  const connection = await mysql.createConnection(connectionOptions(new URL(serverUrl)));
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return String((rows as { version: string }[])[0]?.version ?? '?');
  } finally {
    await connection.end();
  }
}

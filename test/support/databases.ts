import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';

export type Dialect = 'mysql' | 'sqlite';
export const DIALECTS: readonly Dialect[] = ['mysql', 'sqlite'];

export interface TestDatabase {
  dialect: Dialect;
  config: DatabaseConfig;
  /** DATABASE_URL for child processes. */
  url: string;
  drop(): Promise<void>;
}

function mysqlServerUrl(): URL {
  const raw = process.env.TEST_MYSQL_URL;
  if (!raw) throw new Error('TEST_MYSQL_URL is not set: the global setup should have started MariaDB');
  return new URL(raw);
}

/** A new, empty database of the dialect: its own MariaDB schema, or its own SQLite file. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const name = `mg_test_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-sqlite-'));
    const url = `sqlite:${join(dir, `${name}.sqlite`)}`;
    return {
      dialect,
      url,
      config: loadConfig({ DATABASE_URL: url }).database,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = mysqlServerUrl();
  const admin = await mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username) || 'root',
    password: decodeURIComponent(server.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    config: loadConfig({ DATABASE_URL: url.toString() }).database,
    drop: async () => {
      const connection = await mysql.createConnection({
        host: server.hostname,
        port: Number(server.port || 3306),
        user: decodeURIComponent(server.username) || 'root',
        password: decodeURIComponent(server.password),
      });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import type { DatabaseConfig } from '../config.js';
import { ALL_ENTITIES } from '../entities/index.js';
import { longTextColumns } from '../entities/mirror-column.js';
import { SnakeNamingStrategy } from '../entities/snake-naming.strategy.js';
import { mysqlMigrations } from '../migrations/mysql/index.js';
import { sqliteMigrations } from '../migrations/sqlite/index.js';

/**
 * The TypeORM DataSource both the app and the TypeORM CLI use. Long text columns are declared
 * dialect-neutral (`text`) in the entities and widened to MEDIUMTEXT here on MySQL, where TEXT
 * stops at 64 KB; SQLite's TEXT has no such limit.
 */
export class MirrorDataSource extends DataSource {
  override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    if (this.options.type !== 'mysql' && this.options.type !== 'mariadb') return;
    for (const metadata of this.entityMetadatas) {
      for (const column of metadata.columns) {
        // Registered under the class that declares the property (a parent or an embedded value).
        const declaredBy = (column.target as { name?: string }).name;
        if (longTextColumns.has(`${declaredBy}.${column.propertyName}`)) column.type = 'mediumtext';
      }
    }
  }
}

export interface DataSourceExtras {
  /** Passed to TypeORM; tests use it to count SQL statements. */
  logger?: DataSourceOptions['logger'];
  logging?: DataSourceOptions['logging'];
  poolSize?: number;
}

export function dataSourceOptions(database: DatabaseConfig, extras: DataSourceExtras = {}): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    namingStrategy: new SnakeNamingStrategy(),
    migrationsTableName: 'mirrorgraph_migrations',
    synchronize: false,
    logging: extras.logging ?? false,
    logger: extras.logger,
  } as const;
  if (database.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      migrations: sqliteMigrations as MixedList<string | (new () => object)> as never,
      // WAL lets GraphQL readers run while the sync writes a page.
      enableWAL: database.path !== ':memory:',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = OFF');
      },
    };
  }
  return {
    ...common,
    // TypeORM reads MariaDB's catalogue differently (JSON is LONGTEXT, defaults are 'NULL').
    type: database.flavor,
    host: database.host,
    port: database.port,
    username: database.username,
    password: database.password,
    database: database.database,
    migrations: mysqlMigrations as never,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    poolSize: extras.poolSize ?? 10,
    extra: { connectionLimit: extras.poolSize ?? 10 },
  };
}

/** A `mysql://` URL may point at MariaDB (and the other way round): ask the server. */
async function withServerFlavor(database: Extract<DatabaseConfig, { kind: 'mysql' }>): Promise<DatabaseConfig> {
  const connection = await mysql.createConnection({
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
    database: database.database,
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0]?.version ?? '');
    return { ...database, flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql' };
  } finally {
    await connection.end();
  }
}

export function createDataSource(database: DatabaseConfig, extras: DataSourceExtras = {}): MirrorDataSource {
  if (database.kind === 'sqlite' && database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  return new MirrorDataSource(dataSourceOptions(database, extras));
}

/** Opens the DataSource and applies pending migrations (what `migrate`, `serve` and `sync` do first). */
export async function openDatabase(database: DatabaseConfig, extras: DataSourceExtras = {}): Promise<MirrorDataSource> {
  const dataSource = createDataSource(database.kind === 'mysql' ? await withServerFlavor(database) : database, extras);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

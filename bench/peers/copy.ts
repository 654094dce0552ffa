import mysql from 'mysql2/promise';
import type { BenchDatabase } from '../lib/database.js';
import { copyIn, type ThrowawayPostgres } from './postgres.js';

/**
 * Copies the bench's four tables from MariaDB into PostgreSQL: every column, with its type
 * mapped (JSON columns as jsonb, datetimes as timestamptz in UTC), the rows as they are
 * (soft-deleted ones included), the same indexes (SHOW INDEX), then ANALYZE. The tables live in
 * the schema `mirror_data`; `public` holds one view per table with only the live rows
 * (`deleted_at IS NULL`), which is what PostGraphile exposes, with smart comments for the
 * primary key and the foreign keys (they cannot be real constraints: a company_id may point at
 * no row, or at a soft-deleted one).
 */
export const PEER_TABLES = ['companies', 'people', 'opportunities', 'projects'] as const;

/** Relations the four operations use, as Mirrorgraph resolves them. */
const FOREIGN_KEYS: Record<string, string[]> = {
  people: ['@foreignKey (company_id) references companies (id)'],
  opportunities: ['@foreignKey (company_id) references companies (id)', '@foreignKey (primary_contact_id) references people (id)'],
  projects: [],
  companies: [],
};

interface ColumnInfo {
  name: string;
  dataType: string;
  columnType: string;
  nullable: boolean;
  json: boolean;
}

export interface CopyReport {
  table: string;
  rows: number;
  live: number;
  columns: number;
  indexes: string[];
}

function pgType(column: ColumnInfo): string {
  if (column.json) return 'jsonb';
  const t = column.dataType.toLowerCase();
  const full = column.columnType.toLowerCase();
  if (t === 'bigint') return 'bigint';
  if (t === 'int' || t === 'integer' || t === 'mediumint') return 'integer';
  if (t === 'smallint') return 'smallint';
  if (t === 'tinyint') return full === 'tinyint(1)' ? 'boolean' : 'smallint';
  if (t === 'decimal' || t === 'numeric') return full.replace(/^decimal/, 'numeric').replace(/ unsigned$/, '');
  if (t === 'double' || t === 'float' || t === 'real') return 'double precision';
  if (t === 'varchar' || t === 'char') return full.replace(/ character set .*$/, '').replace(/ collate .*$/, '');
  if (t === 'text' || t === 'mediumtext' || t === 'longtext' || t === 'tinytext' || t === 'enum' || t === 'set') return 'text';
  if (t === 'datetime' || t === 'timestamp') {
    const precision = /\((\d)\)/.exec(full)?.[1];
    return precision ? `timestamptz(${precision})` : 'timestamptz(0)';
  }
  if (t === 'date') return 'date';
  if (t === 'time') return 'time';
  if (t === 'blob' || t === 'longblob' || t === 'varbinary' || t === 'binary') return 'bytea';
  throw new Error(`peers: no PostgreSQL type for MariaDB column ${column.name} ${column.columnType}`);
}

function csvValue(value: unknown, column: ColumnInfo, type: string): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (type === 'boolean') text = Number(value) ? 't' : 'f';
  else if (type.startsWith('timestamptz')) text = `${String(value)}+00`;
  else if (type === 'bytea') text = `\\x${Buffer.from(value as Buffer).toString('hex')}`;
  else if (typeof value === 'object' && !Buffer.isBuffer(value)) text = JSON.stringify(value);
  else text = String(value);
  // Quoted always, so an empty string is not NULL.
  return `"${text.replace(/"/g, '""')}"`;
}

function sourceConnection(source: BenchDatabase) {
  return mysql.createConnection({
    host: source.config.host,
    port: source.config.port,
    user: source.config.username,
    password: source.config.password,
    database: source.config.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
  });
}

/**
 * Soft-deletes `percent`% of each table's rows in MariaDB (ids whose last two digits are below
 * it), before the copy: the generated data has none, and with some the answers check also proves
 * that every level leaves them out alike (`--peers-soft-delete N`).
 */
export async function softDeleteSome(source: BenchDatabase, percent: number): Promise<Record<string, number>> {
  const connection = await sourceConnection(source);
  const counts: Record<string, number> = {};
  try {
    for (const table of PEER_TABLES) {
      const [result] = await connection.query(`UPDATE \`${table}\` SET deleted_at = UTC_TIMESTAMP() WHERE deleted_at IS NULL AND MOD(id, 100) < ?`, [percent]);
      counts[table] = (result as { affectedRows: number }).affectedRows;
    }
  } finally {
    await connection.end();
  }
  return counts;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function copyToPostgres(source: BenchDatabase, pg: ThrowawayPostgres, log: (message: string) => void): Promise<CopyReport[]> {
  const connection = await sourceConnection(source);
  const reports: CopyReport[] = [];
  try {
    await pg.psql('CREATE SCHEMA mirror_data');
    for (const table of PEER_TABLES) {
      const began = Date.now();
      const [columnRows] = await connection.query(
        'SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
        [source.config.database, table],
      );
      const [checks] = await connection.query('SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?', [source.config.database, table]);
      const jsonColumns = new Set(
        (checks as { clause: string }[]).flatMap((c) => [...c.clause.matchAll(/json_valid\(`([^`]+)`\)/gi)].map((m) => m[1])),
      );
      const columns: ColumnInfo[] = (columnRows as { name: string; dataType: string; columnType: string; nullable: string }[]).map((c) => ({
        name: c.name,
        dataType: c.dataType,
        columnType: c.columnType,
        nullable: c.nullable === 'YES',
        json: c.dataType.toLowerCase() === 'json' || jsonColumns.has(c.name),
      }));
      if (!columns.length) throw new Error(`peers: table ${table} not found in ${source.config.database}`);
      const types = columns.map(pgType);
      await pg.psql(`CREATE TABLE mirror_data.${table} (${columns.map((c, i) => `${quote(c.name)} ${types[i]}${c.nullable ? '' : ' NOT NULL'}`).join(', ')})`);

      const copy = copyIn(pg, `mirror_data.${table}`, columns.map((c) => c.name));
      let rows = 0;
      let last: string | null = null;
      const select = `SELECT ${columns.map((c) => `\`${c.name}\``).join(', ')} FROM \`${table}\``;
      for (;;) {
        const [batch] = await connection.query({ sql: `${select}${last === null ? '' : ' WHERE id > ?'} ORDER BY id LIMIT 5000`, rowsAsArray: true }, last === null ? [] : [last]);
        const list = batch as unknown[][];
        if (!list.length) break;
        await copy.write(list.map((row) => row.map((value, i) => csvValue(value, columns[i], types[i])).join(',')).join('\n') + '\n');
        rows += list.length;
        last = String(list[list.length - 1][columns.findIndex((c) => c.name === 'id')]);
      }
      await copy.end();

      // The same indexes as MariaDB's (PRIMARY as the primary key).
      const [indexRows] = await connection.query(`SHOW INDEX FROM \`${table}\``);
      const byKey = new Map<string, { unique: boolean; columns: { seq: number; name: string }[] }>();
      for (const r of indexRows as { Key_name: string; Non_unique: number | string; Seq_in_index: number; Column_name: string }[]) {
        const entry = byKey.get(r.Key_name) ?? { unique: Number(r.Non_unique) === 0, columns: [] };
        entry.columns.push({ seq: Number(r.Seq_in_index), name: r.Column_name });
        byKey.set(r.Key_name, entry);
      }
      const indexes: string[] = [];
      for (const [key, entry] of byKey) {
        const cols = entry.columns.sort((a, b) => a.seq - b.seq).map((c) => quote(c.name)).join(', ');
        if (key === 'PRIMARY') await pg.psql(`ALTER TABLE mirror_data.${table} ADD PRIMARY KEY (${cols})`);
        else await pg.psql(`CREATE ${entry.unique ? 'UNIQUE ' : ''}INDEX ${quote(`${table}_${key}`.slice(0, 63))} ON mirror_data.${table} (${cols})`);
        indexes.push(`${key}(${entry.columns.map((c) => c.name).join(',')})`);
      }
      await pg.psql(`ANALYZE mirror_data.${table}`);

      // What PostGraphile serves: the live rows, with the relations as smart comments.
      await pg.psql(`CREATE VIEW public.${table} AS SELECT * FROM mirror_data.${table} WHERE deleted_at IS NULL`);
      const tags = ['@primaryKey id', ...FOREIGN_KEYS[table]].join('\\n');
      await pg.psql(`COMMENT ON VIEW public.${table} IS E'${tags}'`);
      const live = Number((await pg.psql(`SELECT count(*) FROM public.${table}`)).trim());
      reports.push({ table, rows, live, columns: columns.length, indexes });
      log(`peers: copied ${table}: ${rows} rows (${live} live), ${columns.length} columns, indexes ${indexes.join(' ')} in ${((Date.now() - began) / 1_000).toFixed(1)} s`);
    }
  } finally {
    await connection.end();
  }
  return reports;
}

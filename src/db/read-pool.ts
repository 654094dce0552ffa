import mysql from 'mysql2';
import type { DataSource } from 'typeorm';

export type Row = Record<string, unknown>;

/**
 * Where GraphQL reads run: on MySQL/MariaDB a mysql2 pool of its own, apart from the sync's
 * writes, with a bound on every wait. A stalled database (frozen, partitioned, overloaded)
 * must cost a client a few seconds and a clear error, not an unbounded wait that piles up
 * requests: so taking a connection has a timeout, and so has every statement, on both sides:
 * the client gives up (and drops the connection, whose protocol state is then unknown) and the
 * server ends the statement itself (`max_statement_time` on MariaDB, `max_execution_time` on
 * MySQL) so that abandoned work does not keep running.
 *
 * SQLite reads are in-process and synchronous (better-sqlite3), so neither timeout applies:
 * they go through TypeORM's own connection.
 */
export interface ReadPool {
  query(text: string, params: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface ReadPoolSettings {
  /** The longest one read statement may take. */
  statementTimeoutMs: number;
  /** The longest a read waits for a connection from the pool (and for a new one to connect). */
  acquireTimeoutMs: number;
  poolSize: number;
}

/** A read failed a timeout; the message names the setting and is meant for clients. */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';
  constructor(
    readonly phase: 'acquire' | 'statement',
    readonly timeoutMs: number,
  ) {
    super(
      phase === 'acquire'
        ? `The database did not give a connection within ${timeoutMs} ms (DATABASE_ACQUIRE_TIMEOUT_MS); it is overloaded or unreachable. Try again later.`
        : `The database did not answer within ${timeoutMs} ms (DATABASE_STATEMENT_TIMEOUT_MS). Try again later, or ask for less.`,
    );
  }
}

export function createReadPool(dataSource: DataSource, settings: ReadPoolSettings): ReadPool {
  const type = dataSource.options.type;
  if (type === 'mysql' || type === 'mariadb') return new MysqlReadPool(dataSource, settings);
  return {
    query: (text, params) => dataSource.query(text, [...params]) as Promise<Row[]>,
    close: async () => {},
  };
}

const LONGEST_AGGREGATE = 1_073_741_824;

class MysqlReadPool implements ReadPool {
  private readonly pool: mysql.Pool;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ReadPoolSettings,
  ) {
    const options = dataSource.options as { type: 'mysql' | 'mariadb'; host?: string; port?: number; username?: string; password?: string; database?: string };
    // The same session settings TypeORM's pool uses, so rows come back exactly as they do there.
    this.pool = mysql.createPool({
      host: options.host,
      port: options.port,
      user: options.username,
      password: options.password,
      database: options.database,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      connectionLimit: settings.poolSize,
      connectTimeout: settings.acquireTimeoutMs,
      waitForConnections: true,
    });
    const statementTimeout =
      options.type === 'mariadb'
        ? `max_statement_time = ${settings.statementTimeoutMs / 1_000}`
        : `max_execution_time = ${Math.ceil(settings.statementTimeoutMs)}`;
    // The compiled SQL path builds pages with JSON_ARRAYAGG, which group_concat_max_len cuts
    // (1 MiB by default): raised to the largest packet a server can send. Per connection, not
    // per statement: `SET STATEMENT ... FOR` costs a flat page a third of its time.
    const serverSide = `SET SESSION ${statementTimeout}, group_concat_max_len = ${LONGEST_AGGREGATE}`;
    // Runs before the connection is handed out: mysql2 queues commands per connection.
    this.pool.on('connection', (connection) => connection.query(serverSide, () => {}));
  }

  // mysql2's callback API, wrapped here once: its promise wrapper captures a stack trace on
  // every call (mysql2/lib/promise), 4% of the CPU of a request for one record by id.
  async query(text: string, params: readonly unknown[]): Promise<Row[]> {
    // TypeORM's logger sees every statement, as it would on TypeORM's own connection (statement counters read it).
    this.dataSource.logger.logQuery(text, params as unknown[]);
    const connection = await this.acquire();
    return new Promise<Row[]>((resolve, reject) => {
      connection.query({ sql: text, values: params as unknown[], timeout: this.settings.statementTimeoutMs }, (error, rows) => {
        if (!error) {
          connection.release();
          resolve(rows as Row[]);
        } else if (error.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
          // The statement may still be running on that connection: it cannot be handed out again.
          connection.destroy();
          reject(new DatabaseTimeoutError('statement', this.settings.statementTimeoutMs));
        } else {
          connection.release();
          reject(isServerTimeout(error) ? new DatabaseTimeoutError('statement', this.settings.statementTimeoutMs) : error);
        }
      });
    });
  }

  private acquire(): Promise<mysql.PoolConnection> {
    return new Promise((resolve, reject) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        reject(new DatabaseTimeoutError('acquire', this.settings.acquireTimeoutMs));
      }, this.settings.acquireTimeoutMs);
      this.pool.getConnection((error, connection) => {
        clearTimeout(timer);
        if (!waiting) {
          // The wait was given up: whoever gets the connection later gives it straight back.
          if (!error) connection.release();
          return;
        }
        waiting = false;
        // mysql2's own connect timeout (set to the same bound) may fire first: the same failure.
        if (error) reject(error.code === 'ETIMEDOUT' ? new DatabaseTimeoutError('acquire', this.settings.acquireTimeoutMs) : error);
        else resolve(connection);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.pool.end((error) => (error ? reject(error) : resolve())));
  }
}

/** MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024) errors. */
function isServerTimeout(error: unknown): boolean {
  const errno = (error as { errno?: number }).errno;
  return errno === 1969 || errno === 3024;
}

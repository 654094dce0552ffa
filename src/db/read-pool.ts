import mysql from 'mysql2/promise';
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
    this.pool.pool.on('connection', (connection) => connection.query(serverSide, () => {}));
  }

  async query(text: string, params: readonly unknown[]): Promise<Row[]> {
    // TypeORM's logger sees every statement, as it would on TypeORM's own connection (statement counters read it).
    this.dataSource.logger.logQuery(text, params as unknown[]);
    const connection = await this.acquire();
    try {
      const [rows] = await connection.query({ sql: text, values: params as unknown[], timeout: this.settings.statementTimeoutMs });
      connection.release();
      return rows as Row[];
    } catch (error) {
      if ((error as { code?: string }).code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
        // The statement may still be running on that connection: it cannot be handed out again.
        connection.destroy();
        throw new DatabaseTimeoutError('statement', this.settings.statementTimeoutMs);
      }
      if (isServerTimeout(error)) {
        connection.release();
        throw new DatabaseTimeoutError('statement', this.settings.statementTimeoutMs);
      }
      connection.release();
      throw error;
    }
  }

  private acquire(): Promise<mysql.PoolConnection> {
    const waiting = this.pool.getConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Whoever gets the connection later gives it straight back.
        waiting.then((connection) => connection.release(), () => {});
        reject(new DatabaseTimeoutError('acquire', this.settings.acquireTimeoutMs));
      }, this.settings.acquireTimeoutMs);
    });
    const connected = waiting.catch((error: unknown) => {
      // mysql2's own connect timeout (set to the same bound) may fire first: the same failure.
      if ((error as { code?: string }).code === 'ETIMEDOUT') throw new DatabaseTimeoutError('acquire', this.settings.acquireTimeoutMs);
      throw error;
    });
    return Promise.race([connected, timeout]).finally(() => clearTimeout(timer));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024) errors. */
function isServerTimeout(error: unknown): boolean {
  const errno = (error as { errno?: number }).errno;
  return errno === 1969 || errno === 3024;
}

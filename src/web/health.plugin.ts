import type { FastifyPluginAsync } from 'fastify';
import type { DataSource } from 'typeorm';
import { redactUrlPassword } from '../config.js';
import type { GatewayReadiness } from '../gateway/index.js';

/**
 * Liveness and readiness for orchestrators.
 *
 * - `GET /healthz`: 200 `{status:"ok"}` while the process can answer HTTP at all.
 * - `GET /readyz`: 200 `{status:"ok"}` when the database answers `SELECT 1` within the timeout
 *   and no migration is pending; otherwise 503 `{status:"unavailable", reason}`. With a gateway
 *   it also lists every subgraph's state and the supergraph's last composition; a remote
 *   subgraph that is down makes the status `degraded` but keeps the 200: this instance still
 *   answers, with partial data, and taking it out of rotation would not bring the subgraph back.
 */
export interface HealthPluginOptions {
  dataSource: DataSource;
  /** How long the database may take to answer each check; default 2000 ms. */
  timeoutMs?: number;
  /** With a gateway: each subgraph's state and the supergraph's last composition, listed in `/readyz`. */
  gateway?: { readiness(): Promise<GatewayReadiness> };
}

/** `reason` is for anyone who can reach the probe; `detail` (the driver's own words, password masked) only for the log. */
export type Readiness = { ready: true } | { ready: false; reason: string; detail?: string };

/**
 * The readiness check. At most one ping and one migrations query are in flight at a time, however
 * many probes arrive, so a stalled database cannot make probes take more of the pool. Once the
 * migrations are found applied that is remembered: they cannot become pending while the process
 * runs (its code, which holds the migration list, does not change).
 */
export class ReadinessCheck {
  private migrationsApplied = false;
  private ping: Promise<void> | null = null;
  private migrations: Promise<boolean> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
  ) {}

  async check(): Promise<Readiness> {
    if (!this.dataSource.isInitialized) return { ready: false, reason: 'database connection is not initialised' };
    try {
      this.ping ??= this.dataSource
        .query('SELECT 1')
        .then(() => undefined)
        .finally(() => (this.ping = null));
      await this.withinTimeout(this.ping);
    } catch (error) {
      return this.unready(error);
    }
    if (this.migrationsApplied) return { ready: true };
    try {
      this.migrations ??= this.dataSource.showMigrations().finally(() => (this.migrations = null));
      const pending = await this.withinTimeout(this.migrations);
      if (pending) return { ready: false, reason: 'database migrations are pending: run "mirrorgraph migrate"' };
      this.migrationsApplied = true;
      return { ready: true };
    } catch (error) {
      return this.unready(error);
    }
  }

  private withinTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(this.timeoutMs)), this.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * The public reason names only the kind of failure (the driver's error code): a driver's
   * message can quote a host, a user or part of a connection string. The whole message, with
   * the database password (if it appears at all) masked, goes to the log.
   */
  private unready(error: unknown): Readiness {
    if (error instanceof TimeoutError) return { ready: false, reason: error.message };
    let message = redactUrlPassword(error instanceof Error ? error.message : String(error));
    const password = (this.dataSource.options as { password?: unknown }).password;
    if (typeof password === 'string' && password !== '') message = message.split(password).join('***');
    const code = (error as { code?: unknown }).code;
    const kind = typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'error';
    return { ready: false, reason: `database unreachable (${kind})`, detail: message.replace(/\s+/g, ' ').trim().slice(0, 300) };
  }
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(ms: number) {
    super(`database did not answer within ${ms} ms`);
  }
}

export const healthPlugin: FastifyPluginAsync<HealthPluginOptions> = async (app, options) => {
  const readiness = new ReadinessCheck(options.dataSource, options.timeoutMs ?? 2_000);
  let lastReason: string | null = null;

  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const result = await readiness.check();
    reply.header('cache-control', 'no-store');
    // Logged on changes only: probes arrive every few seconds.
    const reason = result.ready ? null : result.reason;
    if (reason !== lastReason) {
      if (reason) app.log.warn({ reason, detail: result.ready ? undefined : result.detail }, 'not ready');
      else app.log.info('ready');
      lastReason = reason;
    }
    const gateway = await options.gateway?.readiness();
    const listed = gateway ? { supergraph: gateway.supergraph, subgraphs: gateway.subgraphs } : {};
    if (!result.ready) return reply.code(503).send({ status: 'unavailable', reason: result.reason, ...listed });
    const degraded = gateway?.subgraphs.some((s) => s.state === 'down') || gateway?.supergraph.lastFailure;
    return reply.send({ status: degraded ? 'degraded' : 'ok', ...listed });
  });
};

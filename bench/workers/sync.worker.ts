import 'reflect-metadata';
import type { SyncRun, SyncRunMode } from '../../src/entities/index.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { createLogger } from '../../src/logger.js';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.js';
import { RateLimiter } from '../../src/sync/rate-limiter.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { StatementCounter } from '../../src/db/statement-counter.js';
import { ownCpuSeconds } from '../lib/cpu.js';
import { RssSampler, type RssReport } from '../lib/rss.js';
import { benchConfig } from '../lib/sync-env.js';
import { serveWorker } from '../lib/worker.js';

/**
 * The real sync engine in its own process: one sync of the four resources, timed, with its SQL
 * statements counted and its RSS sampled. The simulator runs elsewhere.
 */
export interface SyncWorkerInput {
  databaseUrl: string;
  upstreamUrl: string;
  mode: SyncRunMode;
  /** Extra environment for loadConfig (page size, rate limit). */
  env?: Record<string, string>;
  /** A limiter with a scaled window, when the upstream's window is not a minute. */
  limiter?: { maxRequests: number; windowMs: number };
}

export interface SyncWorkerResult {
  seconds: number;
  runs: (Pick<SyncRun, 'resource' | 'status' | 'pages' | 'recordsUpserted' | 'recordsRejected' | 'requests' | 'retries' | 'error'> & { seconds: number })[];
  statements: { total: number; byKind: Record<string, number> };
  rss: RssReport;
  /** CPU seconds this process used during the sync. */
  cpuSeconds: number;
}

const sampler = new RssSampler().start();
let dataSource: MirrorDataSource | undefined;
let engine: SyncEngine | undefined;

serveWorker<SyncWorkerInput, SyncWorkerResult>({
  async start(input) {
    const counter = new StatementCounter();
    const config = benchConfig(input.databaseUrl, input.upstreamUrl, input.env);
    dataSource = await openDatabase(config.database, { logger: counter });
    const limiter = input.limiter ? new RateLimiter(input.limiter) : undefined;
    engine = createSyncEngine({ config, dataSource, limiter, logger: createLogger('warn', { destination: process.stderr }) });
    counter.reset();
    sampler.reset();
    const began = performance.now();
    const cpuBefore = ownCpuSeconds();
    // Per-resource durations (the run rows keep whole seconds only).
    const finished = new Map<string, number>();
    const runs = await Promise.all(
      RECORD_RESOURCE_NAMES.map(async (resource) => {
        const [run] = await engine!.trigger([resource], input.mode, { wait: true });
        finished.set(resource, (performance.now() - began) / 1_000);
        return run;
      }),
    );
    const seconds = (performance.now() - began) / 1_000;
    return {
      seconds,
      runs: runs.map((r) => ({ resource: r.resource, status: r.status, seconds: finished.get(r.resource) ?? seconds, pages: r.pages, recordsUpserted: r.recordsUpserted, recordsRejected: r.recordsRejected, requests: r.requests, retries: r.retries, error: r.error })),
      statements: counter.snapshot(),
      rss: sampler.report(),
      cpuSeconds: Math.round((ownCpuSeconds() - cpuBefore) * 10) / 10,
    };
  },
  async stop() {
    await engine?.close();
    await dataSource?.destroy();
    return sampler.stop();
  },
});

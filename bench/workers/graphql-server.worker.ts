import 'reflect-metadata';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'mysql2/promise';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import type { SyncRunMode } from '../../src/entities/index.js';
import { createLogger } from '../../src/logger.js';
import { startGateway } from '../../src/gateway/index.js';
import { createServer } from '../../src/server/create-server.js';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { CEILING_STATEMENTS_PER_REQUEST, startCeilingServer } from '../ceiling-graphql/server.js';
import { StatementCounter } from '../../src/db/statement-counter.js';
import { IdleSyncController } from '../lib/idle-sync.js';
import { RssSampler } from '../lib/rss.js';
import { benchConfig } from '../lib/sync-env.js';
import { serveWorker } from '../lib/worker.js';
import { startNaiveServer } from '../naive-graphql/server.js';

/**
 * A GraphQL server in its own process, listening on 127.0.0.1: the real one (`createServer`,
 * optionally with a real sync engine for the soak), the naive baseline or the hand-written
 * ceiling. It counts the SQL statements of a single request on demand and, with a sync engine,
 * runs incremental syncs back to back while the load runs.
 */
export interface GraphqlServerInput {
  kind: 'real' | 'naive' | 'ceiling';
  databaseUrl: string;
  /** Extra environment for the app config. */
  env?: Record<string, string>;
  /** Real server only: sync from this upstream (the soak). */
  upstreamUrl?: string;
}

export interface SyncLoopReport {
  runs: number;
  failed: number;
  /** Run errors, first few. */
  errors: string[];
  busySeconds: number;
  /** Time windows (epoch ms) when a sync was running. */
  windows: [number, number][];
}

const sampler = new RssSampler().start();
const counter = new StatementCounter();
let dataSource: MirrorDataSource | undefined;
let app: FastifyInstance | undefined;
let plain: { server: Server; pool?: Pool } | undefined;
let engine: SyncEngine | undefined;
let url = '';
let loop: { state: { stop: boolean }; done: Promise<SyncLoopReport> } | undefined;

async function oneRequest(body: unknown): Promise<{ status: number; text: string }> {
  // Headers (a bearer token) travel beside the GraphQL body, not in it.
  const { headers, ...graphql } = body as { headers?: Record<string, string> };
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(graphql) });
  return { status: response.status, text: await response.text() };
}

async function syncOnce(mode: SyncRunMode) {
  const runs = await engine!.trigger(RECORD_RESOURCE_NAMES, mode, { wait: true });
  return runs.map((r) => ({ resource: r.resource, status: r.status, error: r.error, upserted: r.recordsUpserted, deleted: r.recordsDeleted, requests: r.requests, retries: r.retries }));
}

async function runLoop(state: { stop: boolean }): Promise<SyncLoopReport> {
  const report: SyncLoopReport = { runs: 0, failed: 0, errors: [], busySeconds: 0, windows: [] };
  while (!state.stop) {
    const began = Date.now();
    const runs = await syncOnce('incremental');
    report.windows.push([began, Date.now()]);
    report.busySeconds += (Date.now() - began) / 1_000;
    report.runs += runs.length;
    for (const run of runs.filter((r) => r.status !== 'succeeded')) {
      report.failed++;
      if (report.errors.length < 5) report.errors.push(`${run.resource}: ${run.error}`);
    }
  }
  return report;
}

serveWorker<GraphqlServerInput, { url: string }>({
  async start(input) {
    const config = benchConfig(input.databaseUrl, input.upstreamUrl, input.env);
    if (config.database.kind !== 'mysql') throw new Error('MySQL only');
    if (input.kind === 'ceiling') {
      const started = await startCeilingServer(config.database);
      plain = started;
      url = started.url;
      return { url };
    }
    dataSource = await openDatabase(config.database, { logger: counter });
    if (input.kind === 'naive') {
      const started = await startNaiveServer(dataSource);
      plain = started;
      url = started.url;
      return { url };
    }
    const logger = createLogger(config.logLevel, { destination: process.stderr });
    engine = input.upstreamUrl ? createSyncEngine({ config, dataSource, logger }) : undefined;
    // With SUPERGRAPH_CONFIG in env (the gateway scenario), /graphql is the gateway's and /subgraph ours alone.
    app = await createServer({ config, dataSource, sync: engine ?? new IdleSyncController(), logger, gateway: await startGateway(config, logger) });
    url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    return { url };
  },
  calls: {
    /** Sends one request and counts the SQL statements it caused. */
    async countStatements(body: unknown) {
      if (!dataSource) {
        const { status } = await oneRequest(body);
        return { status, statements: CEILING_STATEMENTS_PER_REQUEST, byKind: { SELECT: CEILING_STATEMENTS_PER_REQUEST } };
      }
      counter.reset();
      counter.keep = true;
      const { status } = await oneRequest(body);
      counter.keep = false;
      return { status, statements: counter.total, byKind: counter.snapshot().byKind, sql: [...counter.kept] };
    },
    async rss() {
      return sampler.report();
    },
    async resetRss() {
      sampler.reset();
      return null;
    },
    async syncOnce(mode: SyncRunMode) {
      return syncOnce(mode);
    },
    async startSyncLoop() {
      if (loop) throw new Error('a sync loop is already running');
      const state = { stop: false };
      loop = { state, done: runLoop(state) };
      loop.done.catch(() => undefined);
      return null;
    },
    async stopSyncLoop() {
      if (!loop) throw new Error('no sync loop running');
      loop.state.stop = true;
      const report = await loop.done;
      loop = undefined;
      return report;
    },
  },
  async stop() {
    if (loop) {
      loop.state.stop = true;
      await loop.done.catch(() => undefined);
    }
    await app?.close();
    await engine?.close();
    if (plain) {
      plain.server.closeAllConnections();
      await new Promise((resolve) => plain!.server.close(resolve));
      await plain.pool?.end();
    }
    await dataSource?.destroy();
    return sampler.stop();
  },
});

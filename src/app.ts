import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppConfig } from './config.js';
import { ChangeFeed } from './changes/change-feed.js';
import { startChangeLogPruner } from './changes/change-log-pruner.js';
import { ChangeLogReader } from './changes/change-log.reader.js';
import { openDatabase, type MirrorDataSource } from './db/data-source.js';
import type { Logger } from './logger.js';
import { syncCursorLag } from './observability/metrics.js';
import { startGateway, type MirrorGateway } from './gateway/index.js';
import { joinedExamples } from './gateway/joined-example.js';
import { EXAMPLE_OPERATIONS, type ExampleOperation } from './web/example-operations.js';
import { createServer } from './server/create-server.js';
import { createSyncEngine, type SyncEngine } from './sync/engine.js';
import { UpstreamClient } from './sync/http-client.js';
import { RateLimiter } from './sync/rate-limiter.js';
import { WebhookApplyWorker } from './webhooks/apply-worker.js';
import { startSyncScheduler, type SyncScheduler } from './sync/scheduler.js';
import { graphiqlPlugin, healthPlugin, metricsPlugin } from './web/index.js';

/**
 * The composition root: database (migrated), sync engine, scheduler and HTTP server, and the
 * order in which they stop. `serve` and `demo` both start through here.
 */
export interface RunningApp {
  url: string;
  server: FastifyInstance;
  engine: SyncEngine;
  webhooks: WebhookApplyWorker;
  dataSource: MirrorDataSource;
  scheduler: SyncScheduler | null;
  /** What `recordsChanged` reads: call `wake()` after a commit in this process to deliver it without waiting for the next poll. */
  changeFeed: ChangeFeed;
  /** Stops taking requests, lets a running page commit or roll back, closes the pool. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Readonly<AppConfig>;
  logger: Logger;
  /** Run the schedules (and the first sync of an empty mirror) and the webhook apply worker. Default true. */
  schedule?: boolean;
}

export async function startApp({ config, logger, schedule = true }: StartOptions): Promise<RunningApp> {
  // First: a supergraph that does not compose stops the start before the database is touched.
  const gateway = await startGateway(config, logger);
  const dataSource = await openDatabase(config.database);
  // One client (and rate limiter) for the sync and the webhook worker: they share the upstream's request budget.
  const limiter = new RateLimiter({ maxRequests: config.upstream.maxRequestsPerMinute });
  const client = new UpstreamClient({ upstream: config.upstream, limiter });
  const engine = createSyncEngine({ config, dataSource, logger, limiter, client });
  const changeLog = new ChangeLogReader(dataSource);
  const changeFeed = new ChangeFeed(changeLog, { pollMs: config.changes.feedPollMs, maxSubscribers: config.subscriptions.max, logger });
  const webhooks = new WebhookApplyWorker({ dataSource, config, client, capabilities: engine.capabilities, sync: engine, logger, pollMs: config.webhooks.pollMs, onCommitted: () => changeFeed.wake() });
  const refreshCursorLag = async () => {
    const now = Date.now() / 1000;
    for (const status of await engine.status()) {
      if (status.cursor !== null) syncCursorLag.set({ resource: status.resource }, Math.max(0, now - status.cursor));
    }
  };
  const plugins: FastifyPluginAsync[] = [
    ...(config.server.graphiql ? [async (app: FastifyInstance) => app.register(graphiqlPlugin, { examples: graphiqlExamples(gateway) })] : []),
    async (app) => app.register(healthPlugin, { dataSource, gateway: gateway?.health }),
    // METRICS_TOKEN / METRICS_PORT / METRICS_HOST (issue 12): a bearer token, or a loopback port of its own.
    async (app) => app.register(metricsPlugin, { beforeScrape: refreshCursorLag, ...config.edge.metrics }),
  ];
  const server = await createServer({ config, dataSource, sync: engine, logger, plugins, gateway, changeFeed, onWebhookAccepted: (resource) => webhooks.nudge(resource) });
  // CHANGE_LOG_RETENTION_HOURS: every serving process prunes (hourly, jittered); prunes of two at once delete disjoint or no rows.
  const pruner = startChangeLogPruner(changeLog, { retentionHours: config.changes.retentionHours, logger });
  const url = await server.listen({ port: config.server.port, host: config.server.host });
  const scheduler = schedule ? startSyncScheduler({ engine, config, logger }) : null;
  // Notifications left in the inbox by a crash are applied now; the worker runs on every replica (one applies at a time).
  if (schedule) webhooks.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await server.close();
      await pruner.stop();
      await scheduler?.stop();
      await webhooks.stop();
      await engine.close();
      await client.close();
      await dataSource.destroy();
    })());
  return { url, server, engine, webhooks, dataSource, scheduler, changeFeed, close };
}

/** With a gateway, a first tab that joins our data with another subgraph's (when one extends our types). */
function graphiqlExamples(gateway: MirrorGateway | null): readonly ExampleOperation[] {
  if (!gateway) return EXAMPLE_OPERATIONS;
  const { sdl, config } = gateway.source.current;
  return [...joinedExamples(sdl, config.self.name), ...EXAMPLE_OPERATIONS];
}

/** SIGTERM/SIGINT: stop cleanly and exit 0; a second signal exits at once. */
export function closeOnSignals(app: RunningApp, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, letting the page in flight finish');
    app.close().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { registry as sharedRegistry } from '../observability/metrics.js';
import { bearerMatches } from '../server/edge/bearer.js';

/**
 * `GET /metrics` in the Prometheus text format. `beforeScrape` runs before each scrape to refresh
 * gauges computed on demand (the cursor lag); if it fails, the scrape still answers, with the
 * values from the last refresh, and the failure is logged.
 *
 * With `token` (METRICS_TOKEN) a scrape must send `Authorization: Bearer <token>`, else 401. With
 * `port` (METRICS_PORT) the route is not on the application's server at all but on a small server
 * of its own at `host:port` (loopback by default), started when the application is ready and
 * closed with it: reachable by a scraper on the machine or the pod, not by the API's clients.
 */
export interface MetricsPluginOptions {
  /** Default: the application's registry from `src/observability/metrics.ts`. */
  registry?: Registry;
  beforeScrape?: () => void | Promise<void>;
  token?: string;
  port?: number;
  /** Where the separate server listens; default 127.0.0.1. */
  host?: string;
}

export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, options) => {
  if (options.port === undefined) {
    metricsRoute(app, options);
    return;
  }
  const server = Fastify({ loggerInstance: app.log, disableRequestLogging: true });
  metricsRoute(server, options);
  const host = options.host ?? '127.0.0.1';
  app.addHook('onReady', async () => {
    const url = await server.listen({ port: options.port, host });
    app.log.info({ url: `${url}/metrics` }, 'metrics served on their own port');
  });
  app.addHook('onClose', () => server.close());
};

function metricsRoute(app: FastifyInstance, options: MetricsPluginOptions): void {
  const registry = options.registry ?? sharedRegistry;
  const token = options.token;
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      request.log.warn('metrics scrape refused: no valid bearer token');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
    }
    if (options.beforeScrape) {
      try {
        await options.beforeScrape();
      } catch (error) {
        request.log.warn({ err: error }, 'refreshing metrics before a scrape failed; serving the last values');
      }
    }
    const body = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
  });
}

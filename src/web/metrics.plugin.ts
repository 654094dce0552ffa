import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { registry as sharedRegistry } from '../observability/metrics.js';

/**
 * `GET /metrics` in the Prometheus text format. `beforeScrape` runs before each scrape to refresh
 * gauges computed on demand (the cursor lag); if it fails, the scrape still answers, with the
 * values from the last refresh, and the failure is logged.
 */
export interface MetricsPluginOptions {
  /** Default: the application's registry from `src/observability/metrics.ts`. */
  registry?: Registry;
  beforeScrape?: () => void | Promise<void>;
}

export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, options) => {
  const registry = options.registry ?? sharedRegistry;

  app.get('/metrics', async (request, reply) => {
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
};

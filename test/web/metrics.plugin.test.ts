import fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registry, syncCursorLag, syncRuns } from '../../src/observability/metrics.js';
import { metricsPlugin, type MetricsPluginOptions } from '../../src/web/metrics.plugin.js';

describe('GET /metrics', () => {
  let app: FastifyInstance | undefined;

  async function scrape(options: MetricsPluginOptions = {}) {
    app = fastify();
    await app.register(metricsPlugin, options);
    return app.inject({ method: 'GET', url: '/metrics' });
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves the shared registry in the Prometheus text format', async () => {
    syncRuns.inc({ resource: 'people', mode: 'incremental', outcome: 'succeeded' });
    const response = await scrape();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(registry.contentType);
    for (const name of [
      'mirrorgraph_sync_runs_total',
      'mirrorgraph_sync_run_duration_seconds',
      'mirrorgraph_upstream_requests_total',
      'mirrorgraph_sync_cursor_lag_seconds',
      'mirrorgraph_graphql_requests_total',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
    // Node's default metrics, under the registry's prefix.
    expect(response.body).toMatch(/^# TYPE mirrorgraph_process_\w+ /m);
    expect(response.body).toMatch(/^mirrorgraph_sync_runs_total\{resource="people",mode="incremental",outcome="succeeded"\} [1-9]/m);
  });

  it('refreshes gauges through beforeScrape before each scrape', async () => {
    let lag = 41;
    const response = await scrape({ beforeScrape: async () => void syncCursorLag.set({ resource: 'companies' }, ++lag) });
    expect(response.body).toMatch(/^mirrorgraph_sync_cursor_lag_seconds\{resource="companies"\} 42$/m);
    const again = await app!.inject({ method: 'GET', url: '/metrics' });
    expect(again.body).toMatch(/^mirrorgraph_sync_cursor_lag_seconds\{resource="companies"\} 43$/m);
  });

  it('still answers, with the last values, when beforeScrape fails', async () => {
    syncCursorLag.set({ resource: 'projects' }, 7);
    const response = await scrape({
      beforeScrape: () => {
        throw new Error('database unreachable');
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^mirrorgraph_sync_cursor_lag_seconds\{resource="projects"\} 7$/m);
  });
});

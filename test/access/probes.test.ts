import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPlugin, metricsPlugin } from '../../src/web/index.js';
import { startHarness, type Harness } from '../graphql/support/harness.js';

/**
 * Probes and scrapes are not GraphQL callers: no credential is checked for them, so neither a
 * load balancer's stale header nor METRICS_TOKEN (which is not an API key or a JWT) is refused.
 */
const METRICS_TOKEN = 'metrics-token-3b9d';

describe('probes and /metrics under AUTH_MODE=api-key', () => {
  let h: Harness;
  beforeAll(async () => {
    // A database that always answers: what is under test is who may ask, not the check itself.
    const answering = { isInitialized: true, query: async () => [], showMigrations: async () => false } as unknown as DataSource;
    h = await startHarness('sqlite', {
      seed: false,
      env: { AUTH_MODE: 'api-key' },
      server: {
        plugins: [async (app) => app.register(healthPlugin, { dataSource: answering }), async (app) => app.register(metricsPlugin, { token: METRICS_TOKEN })],
      },
    });
  });
  afterAll(async () => h?.close());

  it('serves /metrics with METRICS_TOKEN as its bearer and refuses it without', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  it('answers /healthz and /readyz whatever credential comes with them', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const response = await h.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer not-a-key-or-token' } });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('still refuses that credential on /graphql', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-key-or-token' }, payload: '{"query":"{ __typename }"}' });
    expect(response.statusCode).toBe(401);
  });
});

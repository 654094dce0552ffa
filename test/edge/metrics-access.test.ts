import { connect, createServer } from 'node:net';
import fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bearerMatches } from '../../src/server/edge/bearer.js';
import { metricsPlugin, type MetricsPluginOptions } from '../../src/web/metrics.plugin.js';

const TOKEN = 'metrics-token-0c1f7a9e42';

/** Whether anything accepts a TCP connection on the loopback port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A port nobody listens on right now (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('/metrics access', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: MetricsPluginOptions) {
    app = fastify();
    await app.register(metricsPlugin, options);
    await app.ready();
    return app;
  }

  it('with METRICS_TOKEN: 401 without the bearer token or with a wrong one, served with it', async () => {
    await start({ token: TOKEN });
    const none = await app!.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body).not.toContain('mirrorgraph_');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, 'Bearer ']) {
      expect((await app!.inject({ method: 'GET', url: '/metrics', headers: { authorization } })).statusCode).toBe(401);
    }
    const served = await app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.statusCode).toBe(200);
    expect(served.body).toMatch(/^# TYPE mirrorgraph_graphql_requests_total /m);
  });

  it('without a token or a port: open on the application server, as before', async () => {
    await start({});
    expect((await app!.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('with METRICS_PORT: not on the application server, served on its own loopback port, token still asked', async () => {
    const port = await freePort();
    await start({ port, token: TOKEN });
    expect(await accepts(port)).toBe(true);
    expect((await app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    const refused = await request(`http://127.0.0.1:${port}/metrics`);
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
    const served = await request(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.statusCode).toBe(200);
    expect(await served.body.text()).toMatch(/^# TYPE mirrorgraph_graphql_requests_total /m);
    // Closing the application closes the metrics port with it.
    await app!.close();
    app = undefined;
    expect(await accepts(port)).toBe(false);
  });

  it('compares the bearer token whole', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN} extra`, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});

describe('edge settings', () => {
  it('default to no rate limit, /metrics on PORT, loopback for METRICS_PORT', () => {
    expect(loadConfig({}).edge).toEqual({
      trustedDocuments: undefined,
      rateLimit: { max: 0, anonymousMax: 0, windowSeconds: 60 },
      metrics: { token: undefined, port: undefined, host: '127.0.0.1' },
    });
    const edge = loadConfig({ RATE_LIMIT_MAX: '100', METRICS_PORT: '9464', METRICS_TOKEN: TOKEN, TRUSTED_DOCUMENTS: './pq.json' }).edge;
    expect(edge.rateLimit).toEqual({ max: 100, anonymousMax: 100, windowSeconds: 60 });
    expect(edge.metrics).toEqual({ token: TOKEN, port: 9464, host: '127.0.0.1' });
    expect(edge.trustedDocuments).toBe('./pq.json');
  });

  it('refuse bad values, each named, the metrics port equal to PORT included', () => {
    expect(() => loadConfig({ RATE_LIMIT_MAX: '-1', RATE_LIMIT_WINDOW_SECONDS: '0', METRICS_PORT: '4000' })).toThrow(
      /RATE_LIMIT_MAX: expected an integer from 0 to 1000000000, got "-1"[\s\S]*METRICS_PORT: expected a port other than PORT \(4000\), got "4000"[\s\S]*RATE_LIMIT_WINDOW_SECONDS: expected an integer from 1 to 86400, got "0"/,
    );
  });
});

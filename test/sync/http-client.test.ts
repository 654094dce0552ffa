import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UpstreamError } from '../../src/errors/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { UpstreamClient, type RequestStats } from '../../src/sync/http-client.js';
import { RateLimiter } from '../../src/sync/rate-limiter.js';

const PATH = '/v1/resource/people/search';
const BODY = { page_number: 1, page_size: 5, sort_by: 'date_modified', sort_direction: 'asc' };

describe('upstream client against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ records: 200, seed: 3 });
  });
  afterAll(() => sim.close());
  afterEach(() => {
    sim.faults.clear();
    sim.resetStats();
  });

  const client = (env: Record<string, string> = {}, limiter = new RateLimiter({ maxRequests: 10_000 })) =>
    new UpstreamClient({
      upstream: loadConfig({ UPSTREAM_BASE_URL: sim.url, UPSTREAM_API_KEY: 'test-key', UPSTREAM_USER_EMAIL: 'test@example.com', ...env }, { upstream: true }).upstream,
      limiter,
      retryBaseMs: 5,
    });
  const stats = (): RequestStats => ({ requests: 0, retries: 0, rateLimited: 0 });

  async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamError);
      return error as UpstreamError;
    }
    throw new Error('expected the request to fail');
  }

  it('sends the body as JSON with the auth headers and returns the parsed page', async () => {
    const body = (await client().search(PATH, BODY, { resource: 'people' })) as { data: unknown[] };
    expect(body.data).toEqual(sim.store.liveRecords('people').slice(0, 5));
  });

  it('retries 5xx, resets, non-JSON and truncated 200s, and counts every attempt', async () => {
    sim.faults.enqueue(['500', '502', '503']);
    const s = stats();
    const c = client();
    await c.search(PATH, BODY, { resource: 'people', stats: s });
    sim.faults.enqueue(['reset', 'non-json', 'truncated']);
    const body = (await c.search(PATH, BODY, { resource: 'people', stats: s })) as { data: unknown[] };
    expect(body.data).toHaveLength(5);
    expect(s).toEqual({ requests: 8, retries: 6, rateLimited: 0 });
    expect(sim.stats.requests).toBe(8);
  });

  it('honours Retry-After in seconds and as an HTTP date, and backs off on a bare 429', async () => {
    sim.faults.enqueue([{ kind: '429', retryAfterSeconds: 1 }, '429-bare', { kind: '429-date', retryAfterSeconds: 1 }]);
    const s = stats();
    const began = Date.now();
    await client().search(PATH, BODY, { resource: 'people', stats: s });
    const elapsed = Date.now() - began;
    expect(s).toEqual({ requests: 4, retries: 3, rateLimited: 3 });
    expect(elapsed).toBeGreaterThanOrEqual(1_000 + 1);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('pauses the shared limiter on a 429 so other resources wait too', async () => {
    const limiter = new RateLimiter({ maxRequests: 10_000 });
    sim.faults.enqueue([{ kind: '429', retryAfterSeconds: 1 }]);
    const c = client({}, limiter);
    const first = c.search(PATH, BODY, { resource: 'people' });
    await new Promise((r) => setTimeout(r, 200));
    const began = Date.now();
    await c.search('/v1/resource/companies/search', BODY, { resource: 'companies' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(600);
    await first;
  });

  it('retries a request that times out waiting for the answer', async () => {
    sim.faults.enqueue([{ kind: 'slow', delayMs: 1_500 }]);
    const s = stats();
    const body = (await client({ UPSTREAM_TIMEOUT_MS: '300' }).search(PATH, BODY, { resource: 'people', stats: s })) as { data: unknown[] };
    expect(body.data).toHaveLength(5);
    expect(s).toEqual({ requests: 2, retries: 1, rateLimited: 0 });
  });

  it('gives up after maxRetries with a clear retryable error', async () => {
    sim.faults.enqueue(['503', '503', '503', '503', '503']);
    const error = await failure(client({ UPSTREAM_MAX_RETRIES: '3' }).search(PATH, BODY, { resource: 'people' }));
    expect(error.message).toMatch(/after 3 retries: HTTP 503/);
    expect(error.retryable).toBe(true);
    expect(sim.stats.requests).toBe(4);
  });

  it('fails fast on a wrong key, naming the settings and never the key', async () => {
    const secret = 'sk-live-0123456789abcdef';
    const error = await failure(client({ UPSTREAM_API_KEY: secret }).search(PATH, BODY, { resource: 'people' }));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain('UPSTREAM_API_KEY');
    expect(error.message).toContain('UPSTREAM_USER_EMAIL');
    expect(error.message).toContain('api_key');
    expect(error.message).not.toContain(secret);
    expect(sim.stats.requests).toBe(1);
  });

  it('fails a 400 at once with the API message', async () => {
    const error = await failure(client().search(PATH, { ...BODY, page_size: 500 }, { resource: 'people' }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('page_size must be an integer from 1 to 200');
    expect(sim.stats.requests).toBe(1);
  });

  it('sends a request that must not take effect twice again only after a 429: a 503 fails at once, retryable', async () => {
    sim.faults.enqueue(['429-bare']);
    const c = client();
    const s = stats();
    await c.requestJson('POST', PATH, BODY, { resource: 'people', stats: s, retry: 'refused-only' });
    expect(s).toEqual({ requests: 2, retries: 1, rateLimited: 1 });
    sim.faults.enqueue(['503']);
    const error = await failure(c.requestJson('POST', PATH, BODY, { resource: 'people', retry: 'refused-only' }));
    expect(error.message).toMatch(/^upstream failed on POST \/v1\/resource\/people\/search, not retried as the upstream may have acted on it: HTTP 503/);
    expect(error.retryable).toBe(true);
    expect(sim.stats.requests).toBe(3);
  });

  it('sends GET and DELETE without a body, and fails a 404 with its status', async () => {
    const c = client();
    const created = (await c.requestJson('POST', '/v1/webhooks', { target: 'https://mirror.example/hook', type: 'person', event: 'update' }, { resource: 'webhooks' })) as { id: number };
    expect(await c.requestJson('GET', '/v1/webhooks', undefined, { resource: 'webhooks' })).toMatchObject([{ id: created.id, target: 'https://mirror.example/hook' }]);
    expect(await c.requestJson('DELETE', `/v1/webhooks/${created.id}`, undefined, { resource: 'webhooks' })).toMatchObject({ id: created.id });
    const gone = await failure(c.requestJson('DELETE', `/v1/webhooks/${created.id}`, undefined, { resource: 'webhooks' }));
    expect(gone.status).toBe(404);
    expect(gone.message).toContain(`upstream rejected DELETE /v1/webhooks/${created.id} (HTTP 404)`);
  });

  it('stops waiting at once when the signal aborts', async () => {
    sim.faults.enqueue([{ kind: '429', retryAfterSeconds: 30 }]);
    const abort = new AbortController();
    const pending = client().search(PATH, BODY, { resource: 'people', signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const began = Date.now();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - began).toBeLessThan(2_000);
  });
});

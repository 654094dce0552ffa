import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdgeApp, type EdgeApp } from './support/edge-app.js';

describe('rate limits', () => {
  let edge: EdgeApp | undefined;
  afterEach(async () => {
    await edge?.app.close();
    edge = undefined;
  });

  const graphql = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
    edge!.app.inject({ method: 'POST', url: '/graphql', remoteAddress, headers: { 'content-type': 'application/json', ...headers }, payload: '{"query":"{ ok }"}' });
  const as = (subject: string) => ({ 'x-test-subject': subject, 'x-test-scopes': 'read:people' });

  it('answers the request over the limit with 429, Retry-After and a GraphQL-shaped body', async () => {
    edge = await startEdgeApp({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_SECONDS: '1' });
    expect((await graphql(as('key-a'))).statusCode).toBe(200);
    expect((await graphql(as('key-a'))).statusCode).toBe(200);
    const refused = await graphql(as('key-a'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.json()).toEqual({
      errors: [{ message: 'Too many requests: at most 2 every 1 s; retry in 1 s', extensions: { code: 'RATE_LIMITED', requestId: expect.any(String) } }],
    });
  });

  it('counts per subject, whatever the IP, and lets a caller in again after the window', async () => {
    edge = await startEdgeApp({ RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_SECONDS: '1' });
    expect((await graphql(as('key-a'), '10.0.0.1')).statusCode).toBe(200);
    // Same subject from elsewhere: the same bucket.
    expect((await graphql(as('key-a'), '10.0.0.2')).statusCode).toBe(429);
    // Another subject from the same IP: its own bucket.
    expect((await graphql(as('key-b'), '10.0.0.1')).statusCode).toBe(200);
    await sleep(1_100);
    expect((await graphql(as('key-a'), '10.0.0.1')).statusCode).toBe(200);
  });

  it('counts callers without a subject per IP, with RATE_LIMIT_ANONYMOUS_MAX', async () => {
    edge = await startEdgeApp({ RATE_LIMIT_MAX: '5', RATE_LIMIT_ANONYMOUS_MAX: '1', RATE_LIMIT_WINDOW_SECONDS: '2' });
    expect((await graphql({}, '10.0.0.1')).statusCode).toBe(200);
    const refused = await graphql({}, '10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
    expect((await graphql({}, '10.0.0.2')).statusCode).toBe(200);
    // The open principal of AUTH_MODE=none has no subject either.
    expect((await graphql({ 'x-test-open': '1' }, '10.0.0.3')).statusCode).toBe(200);
    expect((await graphql({ 'x-test-open': '1' }, '10.0.0.3')).statusCode).toBe(429);
    // A subject gets RATE_LIMIT_MAX, not the anonymous limit.
    for (let i = 0; i < 5; i++) expect((await graphql(as('key-a'), '10.0.0.1')).statusCode).toBe(200);
    expect((await graphql(as('key-a'), '10.0.0.1')).statusCode).toBe(429);
  });

  it('never counts the probes', async () => {
    edge = await startEdgeApp({ RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_SECONDS: '2' });
    expect((await graphql()).statusCode).toBe(200);
    expect((await graphql()).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz', '/healthz', '/readyz']) {
      expect((await edge.app.inject({ method: 'GET', url, remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    }
  });

  it('is off by default, as in the demo', async () => {
    edge = await startEdgeApp({});
    for (let i = 0; i < 5; i++) {
      const response = await graphql();
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

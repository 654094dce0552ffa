import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../graphql/support/harness.js';
import { startEdgeApp } from './support/edge-app.js';
import { testPrincipalPlugin } from './support/test-principal.js';

const API_KEY = 'mg_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldA';

const accessLines = (logs: Record<string, unknown>[]) => logs.filter((line) => line.msg === 'access');

describe('access log', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('sqlite', { server: { plugins: [testPrincipalPlugin] } });
  });
  afterAll(() => harness?.close());

  it('logs each request once with subject, operation, status and duration, and never the credential', async () => {
    const response = await harness.gql('query ListPeople { people(first: 1) { nodes { id } } }', undefined, {
      authorization: `Bearer ${BEARER}`,
      'x-api-key': API_KEY,
      'x-test-subject': 'frontend-key',
      'x-test-scopes': 'read:people',
    });
    expect(response.status).toBe(200);
    const requestId = response.headers['x-request-id'];
    const lines = accessLines(harness.logs).filter((line) => line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, method: 'POST', path: '/graphql', statusCode: 200, subject: 'frontend-key', via: 'api-key', operationName: 'ListPeople' });
    expect(lines[0].durationMs).toEqual(expect.any(Number));
    const everything = JSON.stringify(harness.logs);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(BEARER);
    expect(everything).not.toContain('c2lnbmF0dXJlLXNlY3JldA');
  });

  it("prefers the client's operationName and cuts a long one to an excerpt", async () => {
    const name = `Op${'x'.repeat(5_000)}`;
    const response = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query: `query ${name} { __typename }`, operationName: name }),
    });
    const line = accessLines(harness.logs).find((l) => l.requestId === response.headers['x-request-id'])!;
    expect(line.subject).toBeNull();
    expect(line.via).toBe('anonymous');
    expect(String(line.operationName).length).toBeLessThan(150);
    expect(String(line.operationName)).toMatch(/^Opxxx.*… \(\d+ more characters\)$/);
  });

  it('logs an anonymous operation with no name, and a query string never', async () => {
    const response = await harness.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ __typename }')}&api_key=${API_KEY}`, headers: { 'apollo-require-preflight': '1' } });
    expect(response.statusCode).toBe(200);
    const line = accessLines(harness.logs).find((l) => l.requestId === response.headers['x-request-id'])!;
    expect(line).toMatchObject({ method: 'GET', path: '/graphql', operationName: null, statusCode: 200 });
  });
});

describe('access log around probes and refusals', () => {
  it('leaves out successful probes but logs a rate-limited request with its status', async () => {
    const edge = await startEdgeApp({ RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_SECONDS: '2' });
    try {
      await edge.app.inject({ method: 'GET', url: '/healthz' });
      const headers = { 'content-type': 'application/json', 'x-test-subject': 'key-a' };
      await edge.app.inject({ method: 'POST', url: '/graphql', headers, payload: '{"query":"query First { ok }"}' });
      await edge.app.inject({ method: 'POST', url: '/graphql', headers, payload: '{"query":"query Second { ok }"}' });
      const lines = accessLines(edge.logs);
      expect(lines.map((l) => [l.path, l.statusCode, l.subject, l.operationName])).toEqual([
        ['/graphql', 200, 'key-a', 'First'],
        // Refused before its body was read: no operation name.
        ['/graphql', 429, 'key-a', null],
      ]);
    } finally {
      await edge.app.close();
    }
  });
});

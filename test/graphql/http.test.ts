import type { AddressInfo } from 'node:net';
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequests } from '../../src/observability/metrics.js';
import { startHarness, type Harness } from './support/harness.js';

describe('the HTTP endpoint', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness('sqlite', {
      env: { CORS_ORIGINS: 'https://app.example' },
      server: {
        graphqlLandingPage: async (_request, reply) => reply.type('text/html').send('<html>GraphiQL goes here</html>'),
        plugins: [
          async (app) => {
            app.get('/healthz', async () => ({ ok: true }));
          },
        ],
      },
    });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => h?.close());

  it('passes every MUST of the graphql-http server audits on loopback', async () => {
    const results = await auditServer({ url, fetchFn: fetch });
    const failedMusts = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST')).map((r) => `${r.name}: ${r.status === 'ok' ? '' : r.reason}`);
    expect(failedMusts).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  });

  it('answers GET queries (with a CSRF-safe header) and refuses GET mutations', async () => {
    const query = encodeURIComponent('{ people(first: 1) { nodes { id } } }');
    const ok = await fetch(`${url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { people: { nodes: unknown[] } } }).data.people.nodes).toHaveLength(1);
    const mutation = await fetch(`${url}?query=${encodeURIComponent('mutation { resync { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(mutation.status).toBe(405);
  });

  it('blocks simple cross-site requests (CSRF prevention)', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(400);
  });

  it('routes a browser GET /graphql to the landing page handler, and leaves extra plugins their routes', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL goes here');
    expect(await (await fetch(url.replace('/graphql', '/healthz'))).json()).toEqual({ ok: true });
  });

  it('answers malformed JSON and wrong variable types with clean 400s', async () => {
    const malformed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' });
    expect(malformed.status).toBe(400);
    const body = (await malformed.json()) as { errors: { message: string; extensions: { code: string; requestId: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].extensions.requestId).toBe(malformed.headers.get('x-request-id'));

    const wrongType = await h.gql('query($n: Int) { people(first: $n) { nodes { id } } }', { n: 'ten' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const noQuery = await h.gql(undefined as unknown as string);
    expect(noQuery.status).toBe(400);
  });

  it('sends CORS headers only to configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('records a metric per operation and outcome', async () => {
    const count = async (outcome: string) =>
      (await graphqlRequests.get()).values.find((v) => v.labels.operation === 'CountMe' && v.labels.outcome === outcome)?.value ?? 0;
    const [ok, failed] = [await count('ok'), await count('error')];
    await h.gql('query CountMe { people(first: 1) { nodes { id } } }');
    await h.gql('query CountMe { people(first: -1) { nodes { id } } }');
    expect(await count('ok')).toBe(ok + 1);
    expect(await count('error')).toBe(failed + 1);
  });
});

describe('error masking (GRAPHQL_MASK_ERRORS=true)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { seed: false, env: { GRAPHQL_MASK_ERRORS: 'true' } });
  });
  afterAll(async () => h?.close());

  it('shows clients INTERNAL_SERVER_ERROR and a request id, and logs the real error under that id', async () => {
    h.sync.failStatusWith = new Error("ER_NO_SUCH_TABLE: SELECT * FROM `sync_state` WHERE x = 'y' (/work/main/src/sync/engine.ts:42)");
    const response = await h.gql('{ syncStatus { resource } }');
    const error = response.body.errors![0];
    expect(error.message).toBe('Internal server error');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: response.headers['x-request-id'] });
    expect(response.text).not.toMatch(/SELECT|sync_state|\/work\/|stacktrace|engine\.ts/);
    const logged = h.logs.find((l) => l.requestId === error.extensions!.requestId && l.level === 50);
    expect(logged?.msg).toBe('GraphQL error');
    expect(JSON.stringify(logged)).toContain('ER_NO_SUCH_TABLE');
  });

  it('leaves client errors readable, with their request id', async () => {
    const response = await h.gql('{ people(first: 1, last: 1) { nodes { id } } }');
    expect(response.body.errors?.[0].message).toMatch(/not both/);
    expect(response.body.errors?.[0].extensions?.requestId).toBe(response.headers['x-request-id']);
    expect(response.text).not.toContain('stacktrace');
  });
});

describe('introspection off (GRAPHQL_INTROSPECTION=false)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { seed: false, env: { GRAPHQL_INTROSPECTION: 'false' } });
  });
  afterAll(async () => h?.close());

  it('refuses introspection and hides field suggestions, but still serves queries and _service', async () => {
    const introspection = await h.gql('{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0].message).toMatch(/introspection/i);
    const typo = await h.gql('{ peopel { totalCount } }');
    expect(typo.text).not.toMatch(/Did you mean/);
    expect((await h.gql('{ people { totalCount } _service { sdl } }')).body.errors).toBeUndefined();
  });
});

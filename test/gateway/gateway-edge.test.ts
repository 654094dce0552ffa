import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../graphql/support/harness.js';
import { apolloManifest, hash, LISTED, UNLISTED, writeManifest } from '../edge/support/manifests.js';
import { testPrincipalPlugin } from '../edge/support/test-principal.js';

const FRONTEND = { 'x-test-subject': 'frontend', 'x-test-scopes': 'read:people' };

/** The edge in front of the gateway's /graphql: the same hooks and limits as in front of the subgraph. */
describe('the edge on the gateway route', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-gateway-edge-'));
    writeFileSync(join(dir, 'supergraph.yaml'), 'subgraphs: {}\n');
    const manifest = writeManifest(apolloManifest([{ body: LISTED, name: 'ListedPeople' }]));
    h = await startHarness('sqlite', {
      env: { SUPERGRAPH_CONFIG: join(dir, 'supergraph.yaml'), TRUSTED_DOCUMENTS: manifest, GRAPHQL_MAX_TOKENS: '60' },
      server: { plugins: [testPrincipalPlugin] },
    });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown, headers: Record<string, string> = FRONTEND, path = '/graphql') => {
    const response = await h.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    return { status: response.statusCode, body: response.json() as { data?: { people?: { nodes: unknown[] } }; errors?: { message: string; extensions?: { code?: string } }[] } };
  };

  it('runs a listed operation by id, by persistedQuery hash and by its text', async () => {
    for (const body of [{ documentId: hash('sha256', LISTED) }, { extensions: { persistedQuery: { version: 1, sha256Hash: hash('sha256', LISTED) } } }, { query: LISTED }]) {
      const response = await post(body);
      expect(response.body.errors, JSON.stringify(body)).toBeUndefined();
      expect(response.body.data?.people?.nodes).toHaveLength(2);
    }
  });

  it('refuses an unlisted operation on /graphql and on /subgraph, before anything runs', async () => {
    const before = h.sql.statements.length;
    for (const path of ['/graphql', '/subgraph']) {
      const response = await post({ query: UNLISTED }, FRONTEND, path);
      expect([response.status, response.body.errors?.[0]?.extensions?.code]).toEqual([400, 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS']);
    }
    expect(h.sql.statements.length).toBe(before);
  });

  it('counts tokens on the supergraph operation', async () => {
    const operator = { 'x-test-subject': 'operator', 'x-test-scopes': 'read:people,sync:write' };
    const long = `{ people(first: 1) { nodes { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ')} } } }`;
    const response = await post({ query: long }, operator);
    expect(response.body.errors?.[0]?.message).toMatch(/token/i);
  });

  it('calls bad input BAD_USER_INPUT, whether the gateway or our subgraph finds it', async () => {
    const operator = { 'x-test-subject': 'operator', 'x-test-scopes': 'read:people,sync:write' };
    // A variable of the wrong type: the gateway's own coercion finds it.
    const wrongType = await post({ query: 'query($n: Int) { people(first: $n) { nodes { id } } }', variables: { n: 'many' } }, operator);
    // A malformed DateTime literal: the supergraph knows DateTime only as a custom scalar, our subgraph parses it.
    const badDate = await post({ query: '{ people(first: 1, where: { dateCreated: { gte: "-209570-07-03T13:45:02.617Z" } }) { nodes { id } } }' }, operator);
    for (const response of [wrongType, badDate]) {
      expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toMatch(/got invalid value|DateTime/);
    }
  });

  it('refuses a body over the limit with a GraphQL error, and keeps serving', async () => {
    const operator = { 'x-test-subject': 'operator', 'x-test-scopes': 'read:people,sync:write' };
    const huge = await post({ query: LISTED, variables: { padding: 'x'.repeat(1_200_000) } }, operator);
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const after = await post({ query: LISTED });
    expect(after.body.data?.people?.nodes).toHaveLength(2);
  });

  it('refuses a GET a browser could send cross-site, as Apollo does', async () => {
    const url = `/graphql?query=${encodeURIComponent(LISTED)}`;
    const simple = await h.app.inject({ method: 'GET', url, headers: FRONTEND });
    expect(simple.statusCode).toBe(400);
    expect(simple.body).toMatch(/cross-site request forgery/);
    const preflighted = await h.app.inject({ method: 'GET', url, headers: { ...FRONTEND, 'apollo-require-preflight': 'true' } });
    expect(preflighted.statusCode).toBe(200);
    expect((preflighted.json() as { data: { people: { nodes: unknown[] } } }).data.people.nodes).toHaveLength(2);
  });
});

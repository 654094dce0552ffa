import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { startHarness, type Harness } from '../graphql/support/harness.js';
import { ALSO_LISTED, apolloManifest, hash, LISTED, relayManifest, UNLISTED, writeManifest } from './support/manifests.js';
import { testPrincipalPlugin } from './support/test-principal.js';

const FRONTEND = { 'x-test-subject': 'frontend', 'x-test-scopes': 'read:people' };
const OPERATOR = { 'x-test-subject': 'operator', 'x-test-scopes': 'read:people,sync:write' };

async function post(harness: Harness, body: unknown, headers: Record<string, string> = FRONTEND) {
  const response = await harness.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
  return { status: response.statusCode, body: response.json() as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const codeOf = (response: Awaited<ReturnType<typeof post>>) => response.body.errors?.[0]?.extensions?.code;
const peopleOf = (response: Awaited<ReturnType<typeof post>>) => (response.body.data?.people as { nodes: unknown[] } | undefined)?.nodes;

describe("trusted documents, Apollo's manifest", () => {
  let harness: Harness;
  beforeAll(async () => {
    const path = writeManifest(apolloManifest([{ body: LISTED, name: 'ListedPeople' }, { body: ALSO_LISTED, name: 'Typename' }]));
    harness = await startHarness('sqlite', { env: { TRUSTED_DOCUMENTS: path }, server: { plugins: [testPrincipalPlugin] } });
  });
  afterAll(() => harness?.close());

  it('runs a listed operation named by documentId, also with the sha256: prefix', async () => {
    expect(peopleOf(await post(harness, { documentId: hash('sha256', LISTED) }))).toHaveLength(2);
    expect(peopleOf(await post(harness, { documentId: `sha256:${hash('sha256', LISTED)}` }))).toHaveLength(2);
  });

  it("runs a listed operation named by Apollo's persistedQuery extension", async () => {
    const response = await post(harness, { extensions: { persistedQuery: { version: 1, sha256Hash: hash('sha256', LISTED) } } });
    expect(response.status).toBe(200);
    expect(peopleOf(response)).toHaveLength(2);
  });

  it('runs a listed operation sent as its full text', async () => {
    expect(peopleOf(await post(harness, { query: LISTED }))).toHaveLength(2);
  });

  it('refuses an unlisted text with 400 before anything is executed', async () => {
    const before = harness.sql.statements.length;
    const response = await post(harness, { query: UNLISTED });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('OPERATION_NOT_IN_TRUSTED_DOCUMENTS');
    expect(response.body.data).toBeUndefined();
    expect(harness.sql.statements.length).toBe(before);
  });

  it('refuses an unknown id with PERSISTED_QUERY_NOT_FOUND, and a request with neither', async () => {
    const unknown = await post(harness, { documentId: hash('sha256', UNLISTED) });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
    const apq = await post(harness, { extensions: { persistedQuery: { version: 1, sha256Hash: hash('sha256', UNLISTED) } } });
    expect([apq.status, codeOf(apq)]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
    const empty = await post(harness, { variables: {} });
    expect([empty.status, codeOf(empty)]).toEqual([400, 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS']);
    const batch = await post(harness, [{ query: LISTED }]);
    expect([batch.status, codeOf(batch)]).toEqual([400, 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS']);
  });

  it('refuses an unlisted text even when a listed id comes with it', async () => {
    const response = await post(harness, { query: UNLISTED, documentId: hash('sha256', LISTED) });
    expect(codeOf(response)).toBe('OPERATION_NOT_IN_TRUSTED_DOCUMENTS');
  });

  it('lets a caller holding sync:write run any operation', async () => {
    const response = await post(harness, { query: UNLISTED }, OPERATOR);
    expect(response.status).toBe(200);
    expect(response.body.data?.people).toEqual({ totalCount: expect.any(Number) });
  });

  it('does not exempt the open principal of AUTH_MODE=none, which holds every scope', async () => {
    expect(codeOf(await post(harness, { query: UNLISTED }, { 'x-test-open': '1' }))).toBe('OPERATION_NOT_IN_TRUSTED_DOCUMENTS');
  });

  it('runs a listed operation named by id over GET', async () => {
    const response = await harness.app.inject({ method: 'GET', url: `/graphql?documentId=${hash('sha256', ALSO_LISTED)}`, headers: { ...FRONTEND, 'apollo-require-preflight': '1' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe("trusted documents, Relay's persisted_queries.json", () => {
  let harness: Harness;
  beforeAll(async () => {
    const path = writeManifest(relayManifest([LISTED, ALSO_LISTED]), 'persisted_queries.json');
    harness = await startHarness('sqlite', { env: { TRUSTED_DOCUMENTS: path }, server: { plugins: [testPrincipalPlugin] } });
  });
  afterAll(() => harness?.close());

  it('runs a listed operation named by doc_id or id, with its variables', async () => {
    expect(peopleOf(await post(harness, { doc_id: hash('md5', LISTED), variables: {} }))).toHaveLength(2);
    expect((await post(harness, { id: hash('md5', ALSO_LISTED) })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a listed operation sent as its full text, refuses an unlisted one', async () => {
    expect(peopleOf(await post(harness, { query: LISTED }))).toHaveLength(2);
    const refused = await post(harness, { query: UNLISTED });
    expect([refused.status, codeOf(refused)]).toEqual([400, 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS']);
    const unknown = await post(harness, { doc_id: hash('md5', UNLISTED) });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('a malformed manifest', () => {
  it('stops the server from starting, with a ConfigError naming TRUSTED_DOCUMENTS', async () => {
    const path = writeManifest('{"format":"apollo-persisted-query-manifest","version":1,"operations":"all"}');
    const started = startHarness('sqlite', { env: { TRUSTED_DOCUMENTS: path } });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/TRUSTED_DOCUMENTS \(.*manifest\.json\): "operations": expected an array, got a string "all"/);
  });
});

describe('automatic persisted queries without a manifest', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('sqlite', { server: { plugins: [testPrincipalPlugin] } });
  });
  afterAll(() => harness?.close());

  it('ask for the text of an unknown hash, register it, then run it by hash alone', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash('sha256', UNLISTED) } };
    const miss = await post(harness, { extensions });
    expect(codeOf(miss)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(miss.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
    const register = await post(harness, { query: UNLISTED, extensions });
    expect(register.body.data?.people).toEqual({ totalCount: expect.any(Number) });
    const hit = await post(harness, { extensions });
    expect(hit.body).toEqual(register.body);
  });

  it('run any full text', async () => {
    expect((await post(harness, { query: UNLISTED })).status).toBe(200);
  });
});

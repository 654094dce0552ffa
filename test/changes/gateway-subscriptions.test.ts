import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from '../gateway/support/gateway-stack.js';
import { ADMIN_TOKEN } from '../graphql/support/harness.js';
import { changesOf, commitChanges } from './support/commit-changes.js';
import { subscribe } from './support/subscriber.js';

const ADMIN = `Bearer ${ADMIN_TOKEN}`;

describe('subscriptions with a supergraph configured', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ ADMIN_TOKEN, AUTH_MODE: 'api-key', CHANGE_FEED_POLL_MS: '20' });
  });
  afterAll(async () => stack?.close());

  it('runs recordsChanged over the WebSocket on /graphql while HTTP /graphql is the gateway', async () => {
    const url = `${stack.app.url.replace(/^http/, 'ws')}/graphql`;
    const subscriber = subscribe({ url, authorization: ADMIN, resources: ['COMPANIES'] });
    const deadline = Date.now() + 5_000;
    while (stack.app.changeFeed.liveSize < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await commitChanges(stack.app.dataSource, changesOf('companies', ['77']), 'webhook');
    expect(await subscriber.waitForIds(1)).toEqual(['77']);
    expect(subscriber.events[0]).toMatchObject({ resource: 'COMPANIES', kind: 'UPSERTED', source: 'WEBHOOK' });
    await subscriber.close();

    // HTTP still answers through the gateway, joined with another subgraph.
    const joined = await stack.gql('{ companies(first: 1) { nodes { name invoices { number } } } }', undefined, { authorization: ADMIN });
    expect(joined.status).toBe(200);
    expect(joined.body.errors).toBeUndefined();
  });

  it('keeps our Subscription type in the supergraph, and refuses a subscription over HTTP with a pointer to the WebSocket', async () => {
    const introspected = await stack.gql('{ __schema { subscriptionType { fields { name } } } }', undefined, { authorization: ADMIN });
    expect(introspected.body.data).toEqual({ __schema: { subscriptionType: { fields: [{ name: 'recordsChanged' }] } } });
    const overHttp = await stack.gql('subscription { recordsChanged { cursor ids } }', undefined, { authorization: ADMIN });
    expect(overHttp.body.errors?.[0]?.message).toMatch(/Subscriptions run over WebSocket: connect a graphql-ws client/);
    expect(overHttp.body.data ?? null).toBeNull();
  });

  it('serves changes through the gateway, cost-checked, with the same access rules', async () => {
    const page = await stack.gql('query($n: Int) { changes(first: $n) { nodes { id resource } endCursor hasNextPage } }', { n: 5 }, { authorization: ADMIN });
    expect(page.body.errors).toBeUndefined();
    expect((page.body.data as { changes: { nodes: unknown[] } }).changes.nodes.length).toBeGreaterThan(0);
    const tooBig = await stack.gql('query($n: Int) { changes(first: $n) { nodes { id } } }', { n: 5_000 }, { authorization: ADMIN });
    expect(tooBig.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const anonymous = await stack.gql('{ changes { nodes { id } } }');
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(anonymous.body.errors?.[0]?.extensions?.code);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server/create-server.js';
import type { FastifyInstance } from 'fastify';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { apolloManifest, writeManifest } from '../edge/support/manifests.js';
import { FakeSyncController } from '../graphql/support/fake-sync.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../graphql/support/harness.js';
import { changesOf, commitChanges } from './support/commit-changes.js';
import { subscribe } from './support/subscriber.js';

const ADMIN = `Bearer ${ADMIN_TOKEN}`;

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;
}

async function untilLive(app: FastifyInstance, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (app.changeFeed.liveSize < count) {
    if (Date.now() > deadline) throw new Error(`${app.changeFeed.liveSize} of ${count} subscribers live`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A graphql-transport-ws session spoken by hand, to be a client that stops reading. */
async function rawSubscriber(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: ADMIN } }));
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { recordsChanged { cursor ids } }' } }));
  return socket;
}

describe('two serving processes on one MariaDB database', () => {
  let h: Harness;
  let second: FastifyInstance;
  let secondSource: MirrorDataSource;
  beforeAll(async () => {
    h = await startHarness('mysql', { seed: false, env: { CHANGE_FEED_POLL_MS: '20' } });
    secondSource = await openDatabase(h.db.config);
    const config = loadConfig({ DATABASE_URL: h.db.url, ADMIN_TOKEN, CHANGE_FEED_POLL_MS: '20' });
    second = await createServer({ config, dataSource: secondSource, sync: new FakeSyncController(), logger: createLogger('silent') });
  });
  afterAll(async () => {
    await second?.close();
    await secondSource?.destroy();
    await h?.close();
  });

  it('each deliver a change committed once, whichever process committed it', async () => {
    const [one, two] = [await listen(h.app), await listen(second)];
    const a = subscribe({ url: one, authorization: ADMIN });
    const b = subscribe({ url: two, authorization: ADMIN });
    await untilLive(h.app, 1);
    await untilLive(second, 1);
    await commitChanges(h.dataSource, changesOf('opportunities', ['5001', '5002']));
    await commitChanges(secondSource, changesOf('opportunities', ['5003']), 'webhook');
    expect(await a.waitForIds(3)).toEqual(['5001', '5002', '5003']);
    expect(await b.waitForIds(3)).toEqual(['5001', '5002', '5003']);
    expect(b.events.map((e) => e.cursor)).toEqual(a.events.map((e) => e.cursor));
    await Promise.all([a.close(), b.close()]);
  });
});

describe('the subscription transport', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness('sqlite', {
      seed: false,
      env: { CHANGE_FEED_POLL_MS: '10', MAX_SUBSCRIPTIONS: '2', SUBSCRIPTION_MAX_QUEUED_CHANGES: '3000', SUBSCRIPTION_STALL_TIMEOUT_MS: '500', CORS_ORIGINS: 'https://app.example' },
    });
    url = await listen(h.app);
  });
  afterAll(async () => h?.close());
  afterEach(async () => {
    while (h.app.changeFeed.size > 0) await new Promise((r) => setTimeout(r, 5));
  });

  it('gives the subscription past MAX_SUBSCRIPTIONS a TOO_MANY_SUBSCRIPTIONS error, and takes the next once one leaves', async () => {
    const first = subscribe({ url, authorization: ADMIN });
    const second = subscribe({ url, authorization: ADMIN });
    await untilLive(h.app, 2);
    const third = subscribe({ url, authorization: ADMIN });
    await third.ended;
    expect(JSON.stringify(third.errors)).toMatch(/TOO_MANY_SUBSCRIPTIONS/);
    expect(JSON.stringify(third.errors)).toMatch(/maximum of 2 subscriptions \(MAX_SUBSCRIPTIONS\)/);
    await first.close();
    while (h.app.changeFeed.size > 1) await new Promise((r) => setTimeout(r, 5));
    const fourth = subscribe({ url, authorization: ADMIN });
    await untilLive(h.app, 2);
    await commitChanges(h.dataSource, changesOf('people', ['1']));
    expect(await fourth.waitForIds(1)).toEqual(['1']);
    await Promise.all([second.close(), fourth.close()]);
  });

  it('closes a client that stops reading with 1013 and frees its subscription, while one that reads keeps up', async () => {
    const reading = subscribe({ url, authorization: ADMIN, resources: ['COMPANIES'] });
    const socket = await rawSubscriber(url);
    await untilLive(h.app, 2);
    // A client that reads nothing more: the kernel's buffers fill, then the server's.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    // Ids of 19 digits: a few MB of events fill loopback's buffers within seconds.
    const base = 1_000_000_000_000_000_000n;
    let next = 0;
    let rounds = 0;
    for (; rounds < 100 && h.app.changeFeed.size > 1; rounds++) {
      await commitChanges(h.dataSource, changesOf('companies', Array.from({ length: 5_000 }, () => String(base + BigInt(next++)))), 'sync', new Date(Date.now() + rounds));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(h.app.changeFeed.size, `still subscribed after ${rounds} rounds`).toBe(1);
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(1013);
    expect(reason).toMatch(/SUBSCRIPTION_STALL_TIMEOUT_MS/);
    expect((await reading.waitForIds(next, 10_000)).length).toBe(next);
    await reading.close();
  }, 20_000);

  it('refuses a WebSocket from an origin CORS would refuse, and takes its own origin and CORS_ORIGINS', async () => {
    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', { headers: { origin } });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('https://app.example')).toBe(101);
    expect(await upgrade(`http://${new URL(url).host}`)).toBe(101);
  });

  it('runs only subscriptions over WebSocket, and refuses a subscription over HTTP pointing at the WebSocket', async () => {
    const query = subscribe({ url, authorization: ADMIN });
    const response = await new Promise<unknown>((resolve) => {
      query.client.subscribe({ query: '{ __typename }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(response)).toMatch(/only subscriptions run: send queries and mutations to POST \/graphql/);
    await query.close();

    const overHttp = await h.gql('subscription { recordsChanged { cursor } }', undefined, { authorization: ADMIN });
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.errors?.[0]?.message).toMatch(/Subscriptions run over WebSocket: connect a graphql-ws client/);
  });
});

describe('subscriptions under TRUSTED_DOCUMENTS', () => {
  const LISTED_SUBSCRIPTION = 'subscription Listed { recordsChanged { cursor ids } }';
  let h: Harness;
  let url: string;
  let frontend: string;
  beforeAll(async () => {
    const manifest = writeManifest(apolloManifest([{ body: LISTED_SUBSCRIPTION, name: 'Listed' }]));
    h = await startHarness('sqlite', { seed: false, env: { AUTH_MODE: 'api-key', TRUSTED_DOCUMENTS: manifest, CHANGE_FEED_POLL_MS: '10' } });
    frontend = `Bearer ${(await new ApiKeyStore(h.dataSource).create('frontend', ['read:people'])).key}`;
    url = await listen(h.app);
  });
  afterAll(async () => h?.close());
  afterEach(async () => {
    while (h.app.changeFeed.size > 0) await new Promise((r) => setTimeout(r, 5));
  });

  it('runs a listed subscription and refuses an unlisted one, as HTTP does; an operator runs any', async () => {
    const run = (authorization: string, query: string) =>
      new Promise<unknown>((resolve) => {
        const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: authorization } });
        const results: unknown[] = [];
        let finished = false;
        const finish = (outcome: unknown) => {
          finished = true;
          void Promise.resolve(client.dispose()).then(() => resolve(outcome));
        };
        client.subscribe({ query }, { next: (r) => results.push(r), error: (e) => finish({ error: e }), complete: () => finish(results) });
        untilLive(h.app, 1).then(
          async () => {
            // A refused run must not commit later, once another run's subscriber is live.
            if (finished) return;
            await commitChanges(h.dataSource, changesOf('people', ['1']));
            while (results.length === 0) await new Promise((r) => setTimeout(r, 5));
            finish(results);
          },
          () => undefined,
        );
      });
    expect(JSON.stringify(await run(frontend, LISTED_SUBSCRIPTION))).toContain('"ids":["1"]');
    while (h.app.changeFeed.size > 0) await new Promise((r) => setTimeout(r, 5));
    const unlisted = JSON.stringify(await run(frontend, 'subscription Other { recordsChanged { ids } }'));
    expect(unlisted).toMatch(/OPERATION_NOT_IN_TRUSTED_DOCUMENTS/);
    expect(unlisted).not.toContain('"ids"');
    expect(JSON.stringify(await run(ADMIN, 'subscription Other { recordsChanged { ids } }'))).toContain('"ids":["1"]');
  });
});

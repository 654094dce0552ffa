import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { MAX_IDS_PER_NOTIFICATION, MAX_SUBSCRIPTIONS, type WebhookOptions } from '../../src/simulator/webhooks.js';
import { AUTH, get, post } from './http.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A real HTTP receiver on loopback that records every notification and answers `status`. */
async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/upstream`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(webhooks: WebhookOptions = {}, options: SimulatorOptions = {}, status = 200) {
  const sim = await startSimulator({ records: 400, seed: 3, ...options, webhooks: { allowHttpTargets: true, batchMs: 5, ...webhooks } });
  cleanups.push(() => sim.close());
  const receiver = await startReceiver(status);
  cleanups.push(() => receiver.close());
  return { sim, receiver };
}

async function subscribe(sim: Simulator, body: Record<string, unknown>) {
  const reply = await post(sim, '/v1/webhooks', body);
  expect(reply.status, reply.text).toBe(200);
  return reply.json as { id: number };
}

const idsOf = (received: Received[]): number[] => received.flatMap((r) => r.body.ids as number[]).sort((a, b) => a - b);

describe('simulator webhooks', () => {
  it('notifies each matching subscription of a change, with its secret as fields and its headers as headers', async () => {
    const { sim, receiver } = await setUp();
    const subscription = await subscribe(sim, { target: receiver.url, type: 'person', event: 'update', secret: { token: 's3cret' }, headers: { 'x-origin': 'copper' } });
    await subscribe(sim, { target: receiver.url, type: 'company', event: 'update' });
    const [a, b] = sim.store.liveIds('people') as number[];
    sim.store.modify('people', a);
    sim.store.modify('people', b);
    sim.store.remove('people', a); // a delete: no subscription for it
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received;
    expect(body).toMatchObject({ ids: [a, b], type: 'person', event: 'update', subscription_id: subscription.id, token: 's3cret', updated_attributes: {} });
    expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
    expect(headers['x-origin']).toBe('copper');
    expect(headers['content-type']).toBe('application/json');
  });

  it('tells new, update and delete apart, drift included', async () => {
    const { sim, receiver } = await setUp();
    for (const event of ['new', 'update', 'delete']) await subscribe(sim, { target: receiver.url, type: 'opportunity', event });
    const created = sim.store.create('opportunities').id as number;
    const [kept, removed] = sim.store.liveIds('opportunities') as number[];
    sim.store.modify('opportunities', kept);
    sim.store.remove('opportunities', removed);
    await sim.webhooks.idle();
    const byEvent = Object.fromEntries(receiver.received.map((r) => [r.body.event, r.body.ids]));
    expect(byEvent).toEqual({ new: [created], update: [kept], delete: [removed] });

    // Drift changes records between searches, as edits made during a crawl: each is notified too.
    receiver.received.length = 0;
    sim.drift.configure({ everyRequests: 1, modify: 2, remove: 1, create: 1 });
    await post(sim, '/v1/resource/opportunities/search', { page_size: 10 });
    await sim.webhooks.idle();
    const [drift] = sim.drift.events;
    const notified = Object.fromEntries(receiver.received.map((r) => [r.body.event, [...(r.body.ids as number[])].sort((x, y) => x - y)]));
    expect(notified).toEqual({ new: drift.created, update: [...drift.modified].sort((x, y) => x - y), delete: drift.removed });
  });

  it(`splits more than ${MAX_IDS_PER_NOTIFICATION} changed ids over several notifications, each id once`, async () => {
    const { sim, receiver } = await setUp();
    await subscribe(sim, { target: receiver.url, type: 'company', event: 'update' });
    const ids = (sim.store.liveIds('companies') as number[]).slice(0, 45);
    for (const id of ids) sim.store.modify('companies', id);
    for (const id of ids.slice(0, 5)) sim.store.modify('companies', id); // changed twice before the flush
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => (r.body.ids as number[]).length).sort()).toEqual([15, 30]);
    expect(idsOf(receiver.received)).toEqual([...ids].sort((x, y) => x - y));
  });

  it('loses, duplicates, delays and reorders notifications when told to, never retrying', async () => {
    const lossy = await setUp({ loss: 1 });
    await subscribe(lossy.sim, { target: lossy.receiver.url, type: 'person', event: 'update' });
    lossy.sim.store.modify('people', lossy.sim.store.liveIds('people')[0] as number);
    await lossy.sim.webhooks.idle();
    expect(lossy.receiver.received).toEqual([]);
    expect(lossy.sim.webhooks.stats).toMatchObject({ notifications: 1, lost: 1, delivered: 0 });

    const doubled = await setUp({ duplicates: 1, delayMs: [5, 40], reorder: true });
    await subscribe(doubled.sim, { target: doubled.receiver.url, type: 'person', event: 'update' });
    const ids = (doubled.sim.store.liveIds('people') as number[]).slice(0, 90);
    for (const id of ids) doubled.sim.store.modify('people', id);
    await doubled.sim.webhooks.idle();
    expect(doubled.receiver.received).toHaveLength(6);
    expect(idsOf(doubled.receiver.received)).toEqual([...ids, ...ids].sort((x, y) => x - y));
    expect(doubled.sim.webhooks.stats).toMatchObject({ notifications: 3, duplicated: 3, delivered: 6 });

    // A target that answers 500 is not retried.
    const failing = await setUp({}, {}, 500);
    await subscribe(failing.sim, { target: failing.receiver.url, type: 'person', event: 'update' });
    failing.sim.store.modify('people', failing.sim.store.liveIds('people')[0] as number);
    await failing.sim.webhooks.idle();
    expect(failing.receiver.received).toHaveLength(1);
    expect(failing.sim.webhooks.stats).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('sends a wrong secret when told to', async () => {
    const { sim, receiver } = await setUp({ wrongSecret: true });
    await subscribe(sim, { target: receiver.url, type: 'project', event: 'update', secret: { token: 'right' } });
    sim.store.modify('projects', sim.store.liveIds('projects')[0] as number);
    await sim.webhooks.idle();
    expect(receiver.received[0].body.token).not.toBe('right');
  });

  it('lists, reads and deletes subscriptions; a deleted one is told nothing more', async () => {
    const { sim, receiver } = await setUp();
    const first = await subscribe(sim, { target: receiver.url, type: 'person', event: 'update' });
    const second = await subscribe(sim, { target: receiver.url, type: 'person', event: 'delete' });
    expect((await get(sim, '/v1/webhooks')).status, 'credentials are needed to list').toBe(401);
    const listed = await request(`${sim.url}/v1/webhooks`, { headers: AUTH });
    expect(((await listed.body.json()) as { id: number }[]).map((s) => s.id)).toEqual([first.id, second.id]);
    const removed = await request(`${sim.url}/v1/webhooks/${first.id}`, { method: 'DELETE', headers: AUTH });
    expect(removed.statusCode).toBe(200);
    await removed.body.dump();
    const gone = await request(`${sim.url}/v1/webhooks/${first.id}`, { headers: AUTH });
    expect(gone.statusCode).toBe(404);
    await gone.body.dump();
    sim.store.modify('people', sim.store.liveIds('people')[0] as number);
    await sim.webhooks.idle();
    expect(receiver.received).toEqual([]);
  });

  it('refuses what the real API refuses, with a message that names what was expected', async () => {
    const strict = await startSimulator({ records: 100 });
    cleanups.push(() => strict.close());
    const refused = async (body: unknown, status: number, pattern: RegExp, headers = AUTH) => {
      const reply = await post(strict, '/v1/webhooks', body, headers);
      expect(reply.status, reply.text).toBe(status);
      expect((reply.json as { message: string }).message).toMatch(pattern);
    };
    await refused({ target: 'http://127.0.0.1:1/hook', type: 'person', event: 'update' }, 422, /target must be an https:\/\/ URL/);
    await refused({ target: 'https://example.test/hook', type: 'persons', event: 'update' }, 422, /type must be one of person, company, opportunity, project, got "persons"/);
    await refused({ target: 'https://example.test/hook', type: 'person', event: 'changed' }, 422, /event must be one of new, update, delete/);
    await refused({ target: 'https://example.test/hook', type: 'person', event: 'update', secret: { n: 1 } }, 422, /secret must be an object of string values/);
    await refused('not json', 400, /not valid JSON/);
    await refused({ target: 'https://example.test/hook', type: 'person', event: 'update' }, 401, /missing API key/, {} as typeof AUTH);
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) await subscribe(strict, { target: `https://example.test/${i}`, type: 'person', event: 'update' });
    await refused({ target: 'https://example.test/one-more', type: 'person', event: 'update' }, 422, /at most 100 subscriptions/);
  });

  it('closes at once even when a target never answers', async () => {
    const sim = await startSimulator({ records: 100, webhooks: { allowHttpTargets: true, batchMs: 1 } });
    const hanging = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { hanging.closeAllConnections(); hanging.close(() => resolve()); }));
    await subscribe(sim, { target: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`, type: 'person', event: 'update' });
    sim.store.modify('people', sim.store.liveIds('people')[0] as number);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const began = Date.now();
    await sim.close();
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(sim.webhooks.stats).toMatchObject({ notifications: 1, delivered: 0, failed: 1 });
  });

  it('refuses bad delivery settings at start, saying what was expected', async () => {
    await expect(startSimulator({ webhooks: { loss: 2 } })).rejects.toThrow(/webhooks.loss must be between 0 and 1, got 2/);
    await expect(startSimulator({ webhooks: { delayMs: [50, 10] } })).rejects.toThrow(/webhooks.delayMs must be a whole number of ms or \[min, max\]/);
  });
});

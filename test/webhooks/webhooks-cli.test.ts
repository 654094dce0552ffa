import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { SECRET_FIELD, WebhookSubscriptionStore } from '../../src/webhooks/subscription.store.js';
import { cli, type Run } from '../auth/support/cli.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../support/databases.js';

/** A recognisable fake key: no output, error or message may ever contain it. */
const FAKE_KEY = 'FAKE-upstream-key-7f3a9c';
const EMAIL = 'ops@example.com';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The serve process's receiver, as a loopback server that records every notification. */
async function startReceiver() {
  const received: Record<string, unknown>[] = [];
  const { url } = await listen((_req, body, res) => {
    received.push(JSON.parse(body) as Record<string, unknown>);
    res.writeHead(200).end();
  });
  return { url: `${url}/webhooks/upstream`, received };
}

interface Fixture {
  sim: Simulator;
  db: TestDatabase;
  ds: MirrorDataSource;
  store: WebhookSubscriptionStore;
  receiver: Awaited<ReturnType<typeof startReceiver>>;
  run(args: string[], extraEnv?: Record<string, string>): Promise<Run>;
}

async function fixture(dialect: Dialect = 'sqlite'): Promise<Fixture> {
  const sim = await startSimulator({ records: 200, seed: 5, apiKey: FAKE_KEY, userEmail: EMAIL, apiKeyHeader: 'X-PW-AccessToken', userEmailHeader: 'X-PW-UserEmail', webhooks: { allowHttpTargets: true, batchMs: 5 } });
  cleanups.push(() => sim.close());
  const db = await createTestDatabase(dialect);
  cleanups.push(() => db.drop());
  const ds = await openDatabase(db.config);
  cleanups.push(() => ds.destroy());
  const receiver = await startReceiver();
  const env = upstreamEnv(db.url, sim.url);
  return { sim, db, ds, store: new WebhookSubscriptionStore(ds), receiver, run: (args, extraEnv = {}) => cli({ ...env, ...extraEnv }, ['webhooks', ...args]) };
}

function upstreamEnv(databaseUrl: string, baseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    UPSTREAM_BASE_URL: baseUrl,
    UPSTREAM_API_KEY: FAKE_KEY,
    UPSTREAM_USER_EMAIL: EMAIL,
    UPSTREAM_API_KEY_HEADER: 'X-PW-AccessToken',
    UPSTREAM_USER_EMAIL_HEADER: 'X-PW-UserEmail',
    UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
    UPSTREAM_RETRY_BASE_MS: '5',
    LOG_LEVEL: 'warn',
  };
}

const output = (run: Run): string => run.stdout + run.stderr;
const secretsOf = (sim: Simulator): string[] => sim.webhooks.list().map((s) => s.secret[SECRET_FIELD]);

function expectNoSecrets(run: Run, secrets: readonly string[]): void {
  for (const secret of [FAKE_KEY, ...secrets]) expect(output(run)).not.toContain(secret);
}

interface ListedView {
  id: string;
  resource: string | null;
  event: string;
  target: string;
  ours: boolean;
  upstream: boolean;
}

async function listJson(f: Fixture): Promise<ListedView[]> {
  const run = await f.run(['list', '--json']);
  expect(run.code, output(run)).toBe(0);
  expectNoSecrets(run, secretsOf(f.sim));
  return JSON.parse(run.stdout) as ListedView[];
}

describe('mirrorgraph webhooks subscribe', () => {
  it('creates one subscription per resource and event with a distinct secret whose hash alone is stored, and a notification verifies with it', async () => {
    const f = await fixture();
    const run = await f.run(['subscribe', '--url', f.receiver.url]);
    expect(run.code, output(run)).toBe(0);
    const upstream = f.sim.webhooks.list();
    expect(upstream).toHaveLength(12);
    expect(new Set(upstream.map((s) => `${s.type}/${s.event}`))).toEqual(
      new Set(['person', 'company', 'opportunity', 'project'].flatMap((type) => ['new', 'update', 'delete'].map((event) => `${type}/${event}`))),
    );
    expect(upstream.every((s) => s.target === f.receiver.url)).toBe(true);
    const secrets = secretsOf(f.sim);
    expect(new Set(secrets).size).toBe(12);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.stdout.split('\n').filter((line) => / created /.test(line))).toHaveLength(12);
    expect(run.stdout).toMatch(/^ID\s+RESOURCE\s+TYPE\s+EVENT\s+STATUS\s+TARGET\n/);
    expectNoSecrets(run, secrets);

    const stored = await f.store.list();
    expect(stored.map((s) => s.id).sort()).toEqual(upstream.map((s) => String(s.id)).sort());
    for (const s of upstream) {
      expect(await f.store.verify(String(s.id), s.secret[SECRET_FIELD]), `subscription ${s.id}`).not.toBeNull();
      expect(stored.map((row) => row.secretHash)).not.toContain(s.secret[SECRET_FIELD]);
    }

    const id = f.sim.store.liveIds('people')[0] as number;
    f.sim.store.modify('people', id);
    await f.sim.webhooks.idle();
    expect(f.receiver.received).toHaveLength(1);
    const [body] = f.receiver.received;
    expect(body).toMatchObject({ ids: [id], type: 'person', event: 'update' });
    const subscriptionId = String(body.subscription_id);
    expect(await f.store.verify(subscriptionId, body[SECRET_FIELD])).toMatchObject({ id: subscriptionId, resource: 'people', event: 'update', target: f.receiver.url });
    expect(await f.store.verify(subscriptionId, 'a-wrong-secret')).toBeNull();
    const another = upstream.find((s) => String(s.id) !== subscriptionId)!;
    expect(await f.store.verify(subscriptionId, another.secret[SECRET_FIELD]), "another subscription's secret").toBeNull();
  });

  it('running subscribe twice creates nothing new and says so; a narrower run creates only what is missing', async () => {
    const f = await fixture();
    const first = await f.run(['subscribe', '--url', f.receiver.url, '--resource', 'people,companies', '--events', 'update']);
    expect(first.code, output(first)).toBe(0);
    expect(f.sim.webhooks.list().map((s) => `${s.type}/${s.event}`).sort()).toEqual(['company/update', 'person/update']);

    const again = await f.run(['subscribe', '--url', f.receiver.url, '--resource', 'people,companies', '--events', 'update']);
    expect(again.code, output(again)).toBe(0);
    expect(f.sim.webhooks.list()).toHaveLength(2);
    expect(await f.store.list()).toHaveLength(2);
    expect(again.stderr).toMatch(/skipped people update: subscription \d+ of ours already sends it to this URL/);
    expect(again.stderr).toContain('0 created, 2 already there');

    const all = await f.run(['subscribe', '--url', f.receiver.url]);
    expect(all.code, output(all)).toBe(0);
    expect(f.sim.webhooks.list()).toHaveLength(12);
    expect(all.stderr).toContain('10 created, 2 already there');
    const twice = await f.run(['subscribe', '--url', f.receiver.url]);
    expect(twice.stderr).toContain('0 created, 12 already there');
    expect(f.sim.webhooks.list()).toHaveLength(12);

    // One modification, one notification: no subscription was doubled.
    f.sim.store.modify('companies', f.sim.store.liveIds('companies')[0] as number);
    await f.sim.webhooks.idle();
    expect(f.receiver.received).toHaveLength(1);
  });

  it('creates nothing when the upstream limit of 100 subscriptions would be passed, and says how many there are', async () => {
    const f = await fixture();
    for (let i = 0; i < 95; i++) f.sim.webhooks.subscribe({ target: `https://elsewhere.example/${i}`, type: 'person', event: 'update' });
    const run = await f.run(['subscribe', '--url', f.receiver.url]);
    expect(run.code, output(run)).toBe(1);
    expect(run.stderr).toContain('at most 100 webhook subscriptions per account: it has 95 and 12 more are needed; nothing was created');
    expect(f.sim.webhooks.list()).toHaveLength(95);
    expect(await f.store.list()).toEqual([]);

    const fits = await f.run(['subscribe', '--url', f.receiver.url, '--resource', 'people']);
    expect(fits.code, output(fits)).toBe(0);
    expect(f.sim.webhooks.list()).toHaveLength(98);
  });

  it('refuses a URL that is not absolute http(s), or http:// to a public host, with exit 2 before any upstream call', async () => {
    const env = { DATABASE_URL: 'sqlite::memory:' };
    const cases: [string[], RegExp][] = [
      [['--url', 'http://public.example/webhooks/upstream'], /--url: the upstream delivers to https:\/\/ targets only, got http:\/\/ on host "public.example"/],
      [['--url', '/webhooks/upstream'], /--url: expected an absolute https:\/\/ URL .*got "\/webhooks\/upstream"/],
      [['--url', 'ftp://mirror.example/hook'], /--url: expected an https:\/\/ URL, got the scheme "ftp:"/],
      [['--url', 'https://mirror.example/hook', '--resource', 'people,leads'], /--resource: unknown "leads"; expected a comma-separated list of companies, people, opportunities, projects/],
      [['--url', 'https://mirror.example/hook', '--events', 'changed'], /--events: unknown "changed"; expected a comma-separated list of new, update, delete/],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(env, ['webhooks', 'subscribe', ...args])));
    runs.forEach((run, i) => {
      expect(run.code, output(run)).toBe(2);
      expect(run.stderr).toMatch(cases[i][1]);
      expect(run.stdout).toBe('');
    });
  });
});

describe('mirrorgraph webhooks list and unsubscribe', () => {
  it('list shows ours, a foreign one, and one of ours the upstream no longer has; unsubscribe --all removes ours only', async () => {
    const f = await fixture();
    expect((await f.run(['subscribe', '--url', f.receiver.url, '--resource', 'people,projects'])).code).toBe(0);
    const foreign = f.sim.webhooks.subscribe({ target: 'https://other-tool.example/hook', type: 'person', event: 'update', secret: { token: 'their-secret' } });
    const ours = f.sim.webhooks.list().filter((s) => s.id !== foreign.id);
    const vanished = ours[0];
    f.sim.webhooks.unsubscribe(vanished.id);

    const views = await listJson(f);
    expect(views).toHaveLength(7);
    expect(views.filter((v) => v.ours && v.upstream).map((v) => v.id).sort()).toEqual(ours.slice(1).map((s) => String(s.id)).sort());
    expect(views.find((v) => v.id === String(foreign.id))).toEqual({ id: String(foreign.id), resource: 'people', type: 'person', event: 'update', target: 'https://other-tool.example/hook', ours: false, upstream: true });
    expect(views.find((v) => v.id === String(vanished.id))).toMatchObject({ ours: true, upstream: false, target: f.receiver.url });

    const table = await f.run(['list']);
    expect(table.code, output(table)).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+RESOURCE\s+EVENT\s+OURS\s+STATE\s+TARGET\n/);
    expect(table.stdout).toMatch(new RegExp(`^${foreign.id}\\s+people\\s+update\\s+no\\s+-\\s+https://other-tool\\.example/hook$`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^${vanished.id}\\s+\\S+\\s+\\S+\\s+yes\\s+missing upstream\\s+`, 'm'));
    expectNoSecrets(table, [...secretsOf(f.sim), 'their-secret', vanished.secret[SECRET_FIELD]]);

    const refused = await f.run(['unsubscribe', '--id', String(foreign.id)]);
    expect(refused.code, output(refused)).toBe(1);
    expect(refused.stderr).toContain(`subscription ${foreign.id} (people update to https://other-tool.example/hook) was not created by this mirror`);
    expect(f.sim.webhooks.get(foreign.id)).toBeDefined();

    const removed = await f.run(['unsubscribe', '--all']);
    expect(removed.code, output(removed)).toBe(0);
    expect(f.sim.webhooks.list().map((s) => s.id)).toEqual([foreign.id]);
    expect(await f.store.list()).toEqual([]);
    expect(removed.stderr.match(/^deleted subscription \d+ .* upstream and locally$/gm)).toHaveLength(5);
    expect(removed.stderr).toContain(`forgot subscription ${vanished.id} `);
    expect(removed.stderr).toContain('the upstream no longer had it (removed locally only)');
  });

  it('unsubscribe --id deletes just that one; without options, or with both, it is a usage error', async () => {
    const f = await fixture();
    expect((await f.run(['subscribe', '--url', f.receiver.url, '--resource', 'companies'])).code).toBe(0);
    const [first, ...rest] = f.sim.webhooks.list();
    const one = await f.run(['unsubscribe', '--id', String(first.id)]);
    expect(one.code, output(one)).toBe(0);
    expect(f.sim.webhooks.list().map((s) => s.id)).toEqual(rest.map((s) => s.id));
    expect((await f.store.list()).map((s) => s.id).sort()).toEqual(rest.map((s) => String(s.id)).sort());

    const unknown = await f.run(['unsubscribe', '--id', '99999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no subscription "99999" upstream or recorded');

    const [bare, both] = await Promise.all([f.run(['unsubscribe']), f.run(['unsubscribe', '--all', '--id', String(rest[0].id)])]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('say which subscriptions: --id <id...> or --all');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all and --id exclude each other');
    expect(f.sim.webhooks.list()).toHaveLength(2);
  });
});

describe('mirrorgraph webhooks against a failing upstream', () => {
  /** A fake upstream that echoes the API key it was sent in every answer, as a careless server might. */
  async function echoingUpstream(mode: { list: 'bad-shape' | 'ok'; create: 'ok' | 'fail-after-2' | 'lose-answer' }) {
    const subscriptions: Record<string, unknown>[] = [];
    let creates = 0;
    const { url } = await listen((req, body, res) => {
      const key = String(req.headers['x-pw-accesstoken']);
      const reply = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (req.method === 'GET') {
        if (mode.list === 'bad-shape') return reply(200, [{ id: 'w1', target: key, type: 'person', event: 'update' }, { id: { key }, target: 7, type: 'person', event: 'update', secret: 'a-plain-secret-value' }]);
        return reply(200, subscriptions);
      }
      creates++;
      const created = { ...(JSON.parse(body) as Record<string, unknown>), id: 500 + creates };
      if (mode.create === 'fail-after-2' && creates > 2) return reply(422, { message: `refused for key ${key}` });
      subscriptions.push(created);
      if (mode.create === 'lose-answer' && creates === 1) return reply(502, { message: `gateway hiccup (${key})` });
      return reply(200, created);
    });
    return { url, subscriptions };
  }

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase('sqlite');
    cleanups.push(() => db.drop());
    return db;
  }

  it('never shows the API key: a wrong key, a body that echoes it, and an answer of the wrong shape', async () => {
    const db = await database();
    const sim = await startSimulator({ records: 50, apiKey: 'the-right-key', webhooks: { allowHttpTargets: true } });
    cleanups.push(() => sim.close());
    const wrongKey = await cli({ ...upstreamEnv(db.url, sim.url), UPSTREAM_API_KEY_HEADER: 'api_key', UPSTREAM_USER_EMAIL_HEADER: 'user_email' }, ['webhooks', 'list']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('upstream refused the credentials');
    expect(wrongKey.stderr).toContain('check UPSTREAM_API_KEY');
    expect(output(wrongKey)).not.toContain(FAKE_KEY);

    const badShape = await echoingUpstream({ list: 'bad-shape', create: 'ok' });
    const listed = await cli(upstreamEnv(db.url, badShape.url), ['webhooks', 'list']);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('upstream answered GET /v1/webhooks with an unexpected shape: [1].id: expected a whole number or a string of 1 to 64 characters; got {"key":"***"}');
    expect(listed.stderr).toMatch(/\[1\]\.target: Invalid input: expected string, received number; got 7/);
    expect(listed.stderr).toMatch(/\[1\]\.secret: Invalid input: expected record, received string; got \(not shown\)/);
    expect(listed.stderr).not.toContain('a-plain-secret-value');
    expect(output(listed)).not.toContain(FAKE_KEY);

    const refusing = await echoingUpstream({ list: 'ok', create: 'fail-after-2' });
    const subscribed = await cli(upstreamEnv(db.url, refusing.url), ['webhooks', 'subscribe', '--url', 'https://mirror.example/webhooks/upstream']);
    expect(subscribed.code).toBe(1);
    expect(subscribed.stderr).toContain('upstream rejected POST /v1/webhooks (HTTP 422): HTTP 422: refused for key ***');
    expect(output(subscribed)).not.toContain(FAKE_KEY);
  });

  it('a failure midway leaves every subscription created so far recorded, and a lost answer is found by its secret, not sent twice', async () => {
    const db = await database();
    const refusing = await echoingUpstream({ list: 'ok', create: 'fail-after-2' });
    const run = await cli(upstreamEnv(db.url, refusing.url), ['webhooks', 'subscribe', '--url', 'https://mirror.example/webhooks/upstream']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('stopped after 2 of 12; the ones created are recorded:');
    const ds = await openDatabase(db.config);
    cleanups.push(() => ds.destroy());
    const store = new WebhookSubscriptionStore(ds);
    expect((await store.list()).map((s) => s.id).sort()).toEqual(['501', '502']);
    for (const s of refusing.subscriptions) expect(await store.verify(String(s.id), (s.secret as Record<string, string>)[SECRET_FIELD])).not.toBeNull();

    const db2 = await database();
    const lossy = await echoingUpstream({ list: 'ok', create: 'lose-answer' });
    const recovered = await cli(upstreamEnv(db2.url, lossy.url), ['webhooks', 'subscribe', '--url', 'https://mirror.example/webhooks/upstream', '--resource', 'people', '--events', 'new,update']);
    expect(recovered.code, output(recovered)).toBe(0);
    expect(lossy.subscriptions.map((s) => s.id)).toEqual([501, 502]);
    const ds2 = await openDatabase(db2.config);
    cleanups.push(() => ds2.destroy());
    expect((await new WebhookSubscriptionStore(ds2).list()).map((s) => s.id).sort()).toEqual(['501', '502']);
  });
});

describe('mirrorgraph webhooks unsubscribe racing the upstream', () => {
  it('a 404 on DELETE still forgets the subscription locally, and says so', async () => {
    const db = await createTestDatabase('sqlite');
    cleanups.push(() => db.drop());
    const { url, subscriptions, deletes } = await echoingUpstreamFor404();
    const env = upstreamEnv(db.url, url);
    expect((await cli(env, ['webhooks', 'subscribe', '--url', 'https://mirror.example/webhooks/upstream', '--resource', 'people', '--events', 'update'])).code).toBe(0);
    expect(subscriptions).toHaveLength(1);
    const run = await cli(env, ['webhooks', 'unsubscribe', '--all']);
    expect(run.code, output(run)).toBe(0);
    expect(deletes).toEqual(['/v1/webhooks/501']);
    expect(run.stderr).toContain('forgot subscription 501 (people update to https://mirror.example/webhooks/upstream): the upstream no longer had it (removed locally only)');
    expect(output(run)).not.toContain(FAKE_KEY);
    const ds = await openDatabase(db.config);
    cleanups.push(() => ds.destroy());
    expect(await new WebhookSubscriptionStore(ds).list()).toEqual([]);
  });
});

/** Lists what was created (secrets echoed) but answers every DELETE with 404, as when another tool deleted it first. */
async function echoingUpstreamFor404() {
  const subscriptions: Record<string, unknown>[] = [];
  const deletes: string[] = [];
  const { url } = await listen((req, body, res) => {
    const reply = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (req.method === 'GET') return reply(200, subscriptions);
    if (req.method === 'DELETE') {
      deletes.push(req.url ?? '');
      return reply(404, { message: 'no such webhook' });
    }
    const created = { ...(JSON.parse(body) as Record<string, unknown>), id: 501 + subscriptions.length };
    subscriptions.push(created);
    return reply(200, created);
  });
  return { url, subscriptions, deletes };
}

describe('mirrorgraph webhooks on mysql', () => {
  it('subscribes, lists and unsubscribes', async () => {
    const f = await fixture('mysql');
    const run = await f.run(['subscribe', '--url', f.receiver.url, '--events', 'update,delete']);
    expect(run.code, output(run)).toBe(0);
    expect(f.sim.webhooks.list()).toHaveLength(8);
    for (const s of f.sim.webhooks.list()) expect(await f.store.verify(String(s.id), s.secret[SECRET_FIELD])).not.toBeNull();
    expect((await listJson(f)).filter((v) => v.ours && v.upstream)).toHaveLength(8);
    const removed = await f.run(['unsubscribe', '--all']);
    expect(removed.code, output(removed)).toBe(0);
    expect(f.sim.webhooks.list()).toEqual([]);
    expect(await f.store.list()).toEqual([]);
  });
});

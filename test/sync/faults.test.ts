import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { Person, SyncState } from '../../src/entities/index.js';
import { createSyncEngine } from '../../src/sync/engine.js';
import type { FaultSpec } from '../../src/simulator/index.js';
import { RateLimiter } from '../../src/sync/rate-limiter.js';
import { RECORD_RESOURCE_NAMES } from '../../src/resources/resource-table.js';
import { expectExactMirror, syncFixture, type SyncFixture } from './helpers.js';

const noop: FaultSpec = { kind: 'slow', delayMs: 0 };

describe('sync under upstream faults', () => {
  let f: SyncFixture;
  afterEach(() => f?.close());

  it('survives 429s with and without Retry-After, 5xx bursts, resets and broken 200s with an exact result', async () => {
    f = await syncFixture('mysql', { records: 0, counts: { people: 1_800 }, seed: 31, hostile: true });
    // Probed beforehand, so that the faults meet the crawl's own requests.
    await f.engine().probe(['people']);
    f.sim.faults.enqueue([
      noop, '503', '503', '503', // a burst of three, then the page
      noop, 'reset', 'non-json', 'truncated',
      noop, '500', '502', '504',
      noop, { kind: '429', retryAfterSeconds: 1 }, '429-bare', { kind: '429-date', retryAfterSeconds: 1 },
    ]);
    const [run] = await f.engine().trigger(['people'], 'full', { wait: true });
    expect(run.status).toBe('succeeded');
    expect(run.retries).toBe(12);
    expect(run.requests).toBe(run.pages + 12);
    expect(f.sim.faults.pending).toBe(0);
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('fails the run cleanly when retries run out, keeps the pages committed before, and resumes from them', async () => {
    f = await syncFixture('sqlite', { records: 0, counts: { people: 1_500 }, seed: 32 });
    await f.engine().probe(['people']);
    f.sim.faults.enqueue([noop, noop, noop, '503', '503', '503', '503']);
    const [failed] = await f.engine().trigger(['people'], 'incremental', { wait: true });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/still failing on POST \/v1\/resource\/people\/search after 3 retries: HTTP 503/);
    expect(failed.pages).toBe(3);
    expect(failed.retries).toBe(3);
    expect(await f.ds.getRepository(Person).count()).toBeGreaterThanOrEqual(3 * 200 - 2);
    const state = await f.ds.getRepository(SyncState).findOneByOrFail({ resource: 'people' });
    expect(state.cursorModified).not.toBeNull();
    const status = (await f.engine().status()).find((s) => s.resource === 'people')!;
    expect(status.lastError).toBe(failed.error);

    const [again] = await f.engine().trigger(['people'], 'incremental', { wait: true });
    expect(again.status).toBe('succeeded');
    expect(again.pages).toBeLessThan(1_500 / 200);
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('fails fast on a wrong key: one request per resource, a message naming the settings and never the key', async () => {
    f = await syncFixture('sqlite', { records: 200 });
    const secret = 'sk-wrong-5f2e9a7c1d';
    const runs = await f.engine({ env: { UPSTREAM_API_KEY: secret } }).trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    for (const run of runs) {
      expect(run.status).toBe('failed');
      expect(run.retries).toBe(0);
      expect(run.error).toContain('UPSTREAM_API_KEY');
      expect(run.error).not.toContain(secret);
    }
    expect(f.sim.stats.requests).toBe(RECORD_RESOURCE_NAMES.length);
  });

  it('fails each run, naming the settings, when the engine was built without upstream settings', async () => {
    f = await syncFixture('sqlite', { records: 100 });
    const config = loadConfig({ DATABASE_URL: f.db.url });
    const engine = createSyncEngine({ config, dataSource: f.ds });
    const [run] = await engine.trigger(['people'], 'incremental', { wait: true });
    await engine.close();
    expect(run.status).toBe('failed');
    expect(run.error).toBe('cannot sync without UPSTREAM_BASE_URL, UPSTREAM_API_KEY, UPSTREAM_USER_EMAIL: set them in the environment');
    expect(f.sim.stats.requests).toBe(0);
  });

  it('fails loudly when the data selector does not match the body: never an empty sync', async () => {
    f = await syncFixture('sqlite', { records: 400 });
    const [wrongKey] = await f.engine({ env: { UPSTREAM_DATA_SELECTOR: 'items' } }).trigger(['people'], 'full', { wait: true });
    expect(wrongKey.status).toBe('failed');
    expect(wrongKey.error).toMatch(/UPSTREAM_DATA_SELECTOR "items" found no array.*keys "data"/);
    expect(await f.ds.getRepository(Person).count()).toBe(0);
  });

  it('fails loudly on a bare array with selector data, and mirrors it with selector $', async () => {
    f = await syncFixture('sqlite', { records: 400, envelope: 'bare' });
    const [wrong] = await f.engine().trigger(['people'], 'full', { wait: true });
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toMatch(/array of \d+ items.*UPSTREAM_DATA_SELECTOR=\$/);
    const [right] = await f.engine({ env: { UPSTREAM_DATA_SELECTOR: '$' } }).trigger(['people'], 'full', { wait: true });
    expect(right.status).toBe('succeeded');
    await expectExactMirror(f.ds, f.sim, 'people');
  });

  it('paces all resources under the upstream limit: almost no 429s, close to the limit', async () => {
    const perSecond = 25;
    f = await syncFixture('sqlite', { records: 2_000, seed: 33, rateLimit: { requests: perSecond, windowMs: 1_000 } });
    const limiter = new RateLimiter({ maxRequests: perSecond, windowMs: 1_000 });
    const began = Date.now();
    const runs = await f.engine({ limiter, env: { UPSTREAM_PAGE_SIZE: '20' } }).trigger(RECORD_RESOURCE_NAMES, 'full', { wait: true });
    const seconds = (Date.now() - began) / 1_000;
    expect(runs.map((run) => run.status)).toEqual(RECORD_RESOURCE_NAMES.map(() => 'succeeded'));
    const requests = runs.reduce((sum, run) => sum + run.requests, 0);
    expect(requests).toBeGreaterThan(100);
    expect(f.sim.stats.byStatus[429] ?? 0).toBeLessThanOrEqual(1);
    // The first window is free; after it the pace is the limit. Loose bound: timers and writes take their share.
    expect(requests / seconds).toBeGreaterThan(0.8 * perSecond);
    for (const resource of RECORD_RESOURCE_NAMES) await expectExactMirror(f.ds, f.sim, resource);
  });
});

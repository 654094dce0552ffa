import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultPlan, parseFaultSpec, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { dataOf, get, post, search } from './http.js';

const page = { page_number: 1, page_size: 5 };

describe('injected faults', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ records: 500, seed: 4, faults: { retryAfterSeconds: 3 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.faults.clear());

  it.each(['500', '502', '503', '504'] as const)('answers %s once, then normally', async (kind) => {
    sim.faults.enqueue([kind]);
    const reply = await search(sim, 'people', page);
    expect(reply.status).toBe(Number(kind));
    expect(dataOf(await search(sim, 'people', page))).toHaveLength(5);
  });

  it('answers 429 with Retry-After in seconds, as an HTTP date, or without it', async () => {
    sim.faults.enqueue(['429', '429-date', { kind: '429', retryAfterSeconds: 7 }, '429-bare']);
    const [seconds, date, custom, bare] = [await search(sim, 'people', page), await search(sim, 'people', page), await search(sim, 'people', page), await search(sim, 'people', page)];
    for (const reply of [seconds, date, custom, bare]) expect(reply.status).toBe(429);
    expect(seconds.headers['retry-after']).toBe('3');
    expect(custom.headers['retry-after']).toBe('7');
    const waitMs = Date.parse(date.headers['retry-after'] as string) - Date.now();
    expect(waitMs).toBeGreaterThan(1_000);
    expect(waitMs).toBeLessThanOrEqual(4_000);
    expect(bare.headers['retry-after']).toBeUndefined();
  });

  it('resets the connection without a response', async () => {
    sim.faults.enqueue(['reset']);
    await expect(search(sim, 'people', page)).rejects.toThrow();
    expect(sim.stats.byStatus[0]).toBeGreaterThanOrEqual(1);
    expect(dataOf(await search(sim, 'people', page))).toHaveLength(5);
  });

  it('delays a slow response but still answers it', async () => {
    sim.faults.enqueue([{ kind: 'slow', delayMs: 300 }]);
    const started = Date.now();
    expect(dataOf(await search(sim, 'people', page))).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers 200 with an HTML body for non-json', async () => {
    sim.faults.enqueue(['non-json']);
    const reply = await search(sim, 'people', page);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/html/);
    expect(reply.json).toBeUndefined();
  });

  it('answers 200 with the real JSON cut in half for truncated', async () => {
    const whole = (await search(sim, 'people', page)).text;
    sim.faults.enqueue(['truncated']);
    const reply = await search(sim, 'people', page);
    expect(reply.status).toBe(200);
    expect(reply.json).toBeUndefined();
    expect(whole.startsWith(reply.text)).toBe(true);
    expect(reply.text.length).toBe(Math.floor(whole.length / 2));
  });

  it('plays a queue in order, then behaves', async () => {
    sim.faults.enqueue(['503', '503', 'reset']);
    expect((await search(sim, 'people', page)).status).toBe(503);
    expect((await search(sim, 'people', page)).status).toBe(503);
    await expect(search(sim, 'people', page)).rejects.toThrow();
    expect((await search(sim, 'people', page)).status).toBe(200);
    expect(sim.faults.pending).toBe(0);
  });

  it('can be driven from another process through the faults hook', async () => {
    expect((await post(sim, '/__simulator/faults', { enqueue: ['502'] }, {})).json).toEqual({ pending: 1 });
    expect((await search(sim, 'companies', page)).status).toBe(502);
    expect((await post(sim, '/__simulator/faults', { enqueue: ['bogus'] }, {})).status).toBe(400);
  });
});

describe('fault plan', () => {
  it('draws random faults at the given rate, repeatably under a seed', () => {
    const draw = () => {
      const plan = new FaultPlan({ random: { rate: 0.1, kinds: ['503', 'reset'], seed: 9 } });
      return Array.from({ length: 2_000 }, () => plan.take()?.kind ?? 'ok');
    };
    const first = draw();
    expect(first).toEqual(draw());
    const faulted = first.filter((kind) => kind !== 'ok').length;
    expect(faulted).toBeGreaterThan(140);
    expect(faulted).toBeLessThan(260);
    expect(new Set(first)).toEqual(new Set(['ok', '503', 'reset']));
  });

  it('serves queued faults before random ones and rejects unknown kinds', () => {
    const plan = new FaultPlan({ queue: ['504'], random: { rate: 1, kinds: ['500'] } });
    expect([plan.take()?.kind, plan.take()?.kind]).toEqual(['504', '500']);
    expect(() => plan.enqueue(['418' as never])).toThrow(/unknown fault kind/);
  });

  it('parses command-line fault specs', () => {
    expect(parseFaultSpec('503,503,reset')).toEqual({ queue: ['503', '503', 'reset'] });
    expect(parseFaultSpec('random:0.05:503,429:7')).toEqual({ random: { rate: 0.05, kinds: ['503', '429'], seed: 7 } });
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a rolling window is full, and frees slots as it rolls', async () => {
    let now = 1_000_000;
    const sim = await startSimulator({ records: 200, rateLimit: { requests: 3, windowMs: 60_000, now: () => now } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await search(sim, i % 2 ? 'people' : 'projects', page)).status);
        now += 10_000;
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await search(sim, 'companies', page);
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('20'); // the first request leaves the window at 1,060,000
      expect((await get(sim, '/__simulator/stats')).status).toBe(200); // hooks are never limited
      now += 20_000;
      expect((await search(sim, 'people', page)).status).toBe(200);
      expect((await search(sim, 'people', page)).status).toBe(429);
    } finally {
      await sim.close();
    }
  });

  it('is off unless asked for', async () => {
    const sim = await startSimulator({ records: 200 });
    try {
      const statuses = await Promise.all(Array.from({ length: 250 }, () => search(sim, 'people', page).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await sim.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { RollingWindowLimiter } from '../../src/simulator/index.js';
import { RateLimiter } from '../../src/sync/rate-limiter.js';
import { FakeClock } from './fake-clock.js';

describe('RateLimiter', () => {
  it('admits maxRequests at once, then holds the next until the oldest answer leaves the window', async () => {
    const clock = new FakeClock(1_000);
    const limiter = new RateLimiter({ maxRequests: 3, windowMs: 60_000, clock });
    for (let i = 0; i < 3; i++) (await limiter.acquire())();
    let fourth = false;
    void limiter.acquire().then((release) => {
      fourth = true;
      release();
    });
    await clock.advance(59_999);
    expect(fourth).toBe(false);
    await clock.advance(1);
    expect(fourth).toBe(true);
  });

  it('counts a request in flight as now: its slot frees only a window after its answer', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ maxRequests: 1, windowMs: 1_000, clock });
    const release = await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await clock.advance(5_000);
    expect(second).toBe(false);
    release(); // answered at t=5000
    await clock.advance(999);
    expect(second).toBe(false);
    await clock.advance(1);
    expect(second).toBe(true);
  });

  it('pauses every caller until a Retry-After has passed', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ maxRequests: 100, clock });
    limiter.pauseUntil(2_000);
    let admitted = false;
    void limiter.acquire().then(() => (admitted = true));
    await clock.advance(1_999);
    expect(admitted).toBe(false);
    await clock.advance(1);
    expect(admitted).toBe(true);
  });

  it('serves waiting callers in order and lets an aborted one go', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ maxRequests: 1, windowMs: 100, clock });
    (await limiter.acquire())();
    const order: string[] = [];
    const abort = new AbortController();
    // b gives up while a and c still wait: it must not wait for its turn to find out.
    const a = limiter.acquire().then((r) => (order.push('a'), r()));
    const b = limiter.acquire(abort.signal).then(
      () => order.push('b'),
      (error: Error) => order.push(`b:${error.name}`),
    );
    const c = limiter.acquire().then((r) => (order.push('c'), r()));
    abort.abort();
    await clock.advance(10);
    expect(order).toEqual(['b:AbortError']);
    await clock.advance(1_000);
    await Promise.all([a, b, c]);
    expect(order).toEqual(['b:AbortError', 'a', 'c']);
  });

  it('keeps a steady crawl under the server limit while using at least 95% of it', async () => {
    const clock = new FakeClock();
    const limit = 180;
    const limiter = new RateLimiter({ maxRequests: limit, windowMs: 60_000, clock });
    // The server dates each request when it arrives: between our send and its answer.
    const server = new RollingWindowLimiter({ requests: limit, windowMs: 60_000, now: () => clock.now() });
    let refused = 0;
    let answered = 0;
    const latencies = [5, 40, 250, 12, 90, 700, 30];
    const worker = async (w: number) => {
      for (let i = 0; clock.now() < 10 * 60_000; i++) {
        const release = await limiter.acquire();
        const latency = latencies[(i + w) % latencies.length];
        await clock.sleep(latency / 3);
        if (!server.admit().admitted) refused++;
        await clock.sleep((2 * latency) / 3);
        release();
        answered++;
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await clock.runUntil(10 * 60_000 + 60_000);
    await Promise.all(workers);
    expect(refused).toBe(0);
    expect(answered / 10).toBeGreaterThanOrEqual(0.95 * limit);
    expect(answered / 10).toBeLessThanOrEqual(limit + 1);
  });

  it('rejects a limit below one', () => {
    expect(() => new RateLimiter({ maxRequests: 0 })).toThrow(/maxRequests/);
  });
});

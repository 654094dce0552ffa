import type { Clock } from '../../src/sync/clock.js';
import { abortReason } from '../../src/sync/clock.js';

/** A clock that moves only when told to; sleepers wake in time order as it passes them. */
export class FakeClock implements Clock {
  private timers: { at: number; wake: () => void }[] = [];

  constructor(public time = 0) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer = { at: this.time + Math.max(ms, 0), wake: resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortReason(signal));
      });
    });
  }

  /** Moves time forward by `ms`, waking sleepers (and letting their continuations run) on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flush();
      const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = next.at;
      this.timers = this.timers.filter((t) => t !== next);
      next.wake();
    }
    this.time = target;
    await flush();
  }

  /** Wakes sleepers one after the other until none is left before `time` (or nobody sleeps at all). */
  async runUntil(time: number): Promise<void> {
    for (;;) {
      await flush();
      const next = this.nextWake();
      if (next === undefined || next > time) return;
      await this.advance(next - this.time);
    }
  }

  /** The earliest pending wake-up, if any. */
  nextWake(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

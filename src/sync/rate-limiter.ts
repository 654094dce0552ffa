import { abortReason, systemClock, type Clock } from './clock.js';

/**
 * The client side of the upstream's rolling-window limit (180 requests a minute, shared by all
 * endpoints): one instance per process, shared by every resource, and every attempt (retries
 * included) takes a slot.
 *
 * A sliding-window log, with one twist: a slot is dated when its response arrives, not when
 * the request leaves. The server dates a request somewhere in between, so with send times a
 * slow first request could make the 181st look early to the server and earn a 429; dated by
 * completion, request n+max is sent at least a window after request n was answered, hence
 * after the server counted it. The price is the requests' latency per window (well under 1%).
 * While a request is in flight its slot counts as "now".
 */
export interface RateLimiterOptions {
  maxRequests: number;
  windowMs?: number;
  clock?: Clock;
}

/** Call when the response has arrived (or the attempt failed); calling twice is harmless. */
export type ReleaseSlot = () => void;

interface Slot {
  /** When the response arrived; Infinity while the request is in flight. */
  doneAt: number;
}

export class RateLimiter {
  readonly maxRequests: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private slots: Slot[] = [];
  private pausedUntil = 0;
  /** Acquisitions are served in call order: a resource cannot starve the others. */
  private tail: Promise<unknown> = Promise.resolve();
  private releaseWaiters = new Set<() => void>();

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.maxRequests) || options.maxRequests < 1) {
      throw new RangeError(`maxRequests must be a positive integer, got ${options.maxRequests}`);
    }
    this.maxRequests = options.maxRequests;
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Resolves when a request may be sent; the returned function must be called when it is answered. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    const turn = this.tail.then(() => this.takeSlot(signal));
    this.tail = turn.catch(() => undefined);
    if (!signal) return turn;
    // A slot granted to a caller that has meanwhile given up is handed back at once.
    void turn.then((release) => signal.aborted && release(), () => undefined);
    return abortable(turn, signal);
  }

  /** The upstream said 429 with Retry-After: nobody sends before `untilMs`, whichever resource asks. */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  /** Slots counted against the window right now (in flight or answered within it). */
  inWindow(): number {
    this.prune(this.clock.now());
    return this.slots.length;
  }

  private async takeSlot(signal?: AbortSignal): Promise<ReleaseSlot> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        continue;
      }
      this.prune(now);
      if (this.slots.length < this.maxRequests) return this.occupy();
      const oldestDone = Math.min(...this.slots.map((slot) => slot.doneAt));
      if (Number.isFinite(oldestDone)) await this.clock.sleep(oldestDone + this.windowMs - now, signal);
      else await this.nextRelease(signal);
    }
  }

  private occupy(): ReleaseSlot {
    const slot: Slot = { doneAt: Infinity };
    this.slots.push(slot);
    return () => {
      if (slot.doneAt !== Infinity) return;
      slot.doneAt = this.clock.now();
      for (const wake of [...this.releaseWaiters]) wake();
    };
  }

  private prune(now: number): void {
    this.slots = this.slots.filter((slot) => slot.doneAt + this.windowMs > now);
  }

  /** Every slot is in flight: wait for one to be answered. */
  private nextRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.releaseWaiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.releaseWaiters.delete(done);
        reject(abortReason(signal!));
      };
      this.releaseWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** `promise`, or the signal's reason as soon as it aborts (an aborted caller does not wait for its turn). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

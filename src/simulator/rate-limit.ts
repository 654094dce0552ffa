/**
 * The upstream rate limit: at most `requests` admitted in any rolling window of `windowMs`,
 * shared by all endpoints. A refused request does not take a slot (it was never served).
 */

export interface RateLimitOptions {
  /** Default 180, the real API's limit per minute. */
  requests?: number;
  /** Default 60,000 ms. */
  windowMs?: number;
  /** Milliseconds; injectable so tests need not wait a minute. */
  now?: () => number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class RollingWindowLimiter {
  readonly requests: number;
  readonly windowMs: number;
  private readonly now: () => number;
  /** Admission times, oldest first; `head` skips expired ones without shifting the array each time. */
  private times: number[] = [];
  private head = 0;

  constructor(options: RateLimitOptions = {}) {
    this.requests = options.requests ?? 180;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    if (!(this.requests >= 1) || !(this.windowMs > 0)) throw new RangeError('rate limit needs requests >= 1 and windowMs > 0');
  }

  /** Admits the request, or says how many whole seconds until the oldest admission leaves the window. */
  admit(): Admission {
    const now = this.now();
    while (this.head < this.times.length && this.times[this.head] <= now - this.windowMs) this.head++;
    if (this.head > 1_024) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head < this.requests) {
      this.times.push(now);
      return { admitted: true };
    }
    const freesAt = this.times[this.head] + this.windowMs;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1_000)) };
  }

  reset(): void {
    this.times = [];
    this.head = 0;
  }
}

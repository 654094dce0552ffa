/**
 * An async iterator fed by pushes, for one subscriber of the change feed. It counts the weight
 * it holds (changes, not events), so the feed can tell a subscriber that falls behind, and it
 * ends at once on `return()`, even while a `next()` waits: an async generator would only end
 * at its next `yield`, holding a subscriber that left until the next change.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: { item: T; weight: number }[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failure: ((error: unknown) => void) | null = null;
  private ended = false;
  private error: unknown = undefined;
  private held = 0;
  /** When the consumer last took an item (or the queue was made): how long it has taken nothing. */
  private takenAt = Date.now();
  private readonly drainWaiters: { below: number; resolve: () => void }[] = [];

  /** @param onEnd runs once, however the queue ends (return, end, fail). */
  constructor(private readonly onEnd: () => void = () => {}) {}

  /** The weight waiting to be taken. */
  get weight(): number {
    return this.held;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Milliseconds since the consumer last took an item. */
  get idleMs(): number {
    return Date.now() - this.takenAt;
  }

  push(item: T, weight: number): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failure = null;
      this.takenAt = Date.now();
      resolve({ value: item, done: false });
      return;
    }
    this.items.push({ item, weight });
    this.held += weight;
  }

  /** Ends after what is queued has been taken. */
  end(): void {
    this.finish(undefined);
  }

  /** Ends now: what is queued is dropped, the next `next()` rejects with `error`. */
  fail(error: unknown): void {
    this.items.length = 0;
    this.held = 0;
    this.finish(error ?? new Error('the queue failed'));
  }

  /** Resolves when the queue holds at most `weight` (or has ended). */
  whenAtMost(weight: number): Promise<void> {
    if (this.held <= weight || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ below: weight, resolve }));
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.items.shift();
    if (first) {
      this.held -= first.weight;
      this.takenAt = Date.now();
      this.releaseDrainWaiters();
      return Promise.resolve({ value: first.item, done: false });
    }
    if (this.error !== undefined) {
      const error = this.error;
      this.error = undefined;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failure = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.held = 0;
    this.finish(undefined);
    this.error = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const [resolve, reject] = [this.waiting, this.failure!];
      this.waiting = this.failure = null;
      if (error === undefined) resolve({ value: undefined, done: true });
      else reject(error instanceof Error ? error : new Error(String(error)));
    } else {
      this.error = error;
    }
    this.releaseDrainWaiters();
    this.onEnd();
  }

  private releaseDrainWaiters(): void {
    for (let i = this.drainWaiters.length - 1; i >= 0; i--) {
      const waiter = this.drainWaiters[i]!;
      if (this.ended || this.held <= waiter.below) {
        this.drainWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

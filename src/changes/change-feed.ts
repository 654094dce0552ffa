/**
 * @file The live side of the change log: one poller per feed (one feed per serving process),
 * running only while someone listens, fanning what it reads out to every subscriber.
 */

import type { Logger } from '../logger.js';
import type { ChangeEvent } from './change-events.js';
import type { ChangeLogReader } from './change-log.reader.js';
import { FeedSubscriber, type FeedSubscribeOptions } from './feed-subscriber.js';
import { PushQueue } from './push-queue.js';

export type { FeedSubscribeOptions } from './feed-subscriber.js';

export interface ChangeFeedOptions {
  /** Wait between two reads that found nothing new (CHANGE_FEED_POLL_MS). */
  pollMs: number;
  /** Rows per read of the log, live or catching up. */
  batchSize?: number;
  /** Subscribers at once (MAX_SUBSCRIPTIONS); the next gets a ChangeFeedFullError. */
  maxSubscribers: number;
  logger: Logger;
}

/** The events of one subscription, in sequence order. `return()` (or breaking a `for await`) unsubscribes. */
export type ChangeStream = AsyncIterableIterator<ChangeEvent>;

export class ChangeFeedFullError extends Error {
  constructor(readonly max: number) {
    super(`this server already serves its maximum of ${max} subscriptions (MAX_SUBSCRIPTIONS): try again later or another instance`);
    this.name = 'ChangeFeedFullError';
  }
}

export class SlowSubscriberError extends Error {
  constructor(
    readonly maxQueued: number,
    readonly stallMs: number,
  ) {
    super(`${maxQueued} changes waited to be sent for ${stallMs} ms (SUBSCRIPTION_MAX_QUEUED_CHANGES, SUBSCRIPTION_STALL_TIMEOUT_MS): subscribe again with the last cursor received`);
    this.name = 'SlowSubscriberError';
  }
}

const DEFAULT_BATCH = 500;
const FAILED_READ_WAIT_MS = 1_000;

/**
 * Polls the change log after its position while it has subscribers, and hands each read to
 * every live subscriber. Every process polls the shared database, so every replica delivers
 * every change, whichever process committed it.
 *
 * The hand-off from catching up to live has neither gap nor duplicate: a subscriber offers
 * itself only the rows after its own `position`, and turns live (synchronously, between two
 * reads) only once its position has reached the poller's, so every later row reaches it by the
 * poller and every earlier one by its own reads.
 */
export class ChangeFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly batchSize: number;
  /** Everything up to here has been read by the poller; null while it does not run. */
  private position: bigint | null = null;
  private starting: Promise<void> | null = null;
  private running = false;
  private closed = false;
  private wakeUp: (() => void) | null = null;
  private sleeping: ReturnType<typeof setTimeout> | null = null;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly reader: ChangeLogReader,
    private readonly options: ChangeFeedOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  /** Subscriptions open now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Subscriptions fed by the poller (caught up); the others still read the log themselves. */
  get liveSize(): number {
    let live = 0;
    for (const subscriber of this.subscribers) if (subscriber.live) live++;
    return live;
  }

  /**
   * A subscription. Rejects with ChangeFeedFullError at the limit, with ChangeCursorError for a
   * cursor the log cannot continue (pruned, or from another database), before any event.
   */
  async subscribe(options: FeedSubscribeOptions): Promise<ChangeStream> {
    if (this.closed) throw new Error('the change feed is closed');
    if (this.subscribers.size >= this.options.maxSubscribers) throw new ChangeFeedFullError(this.options.maxSubscribers);
    const queue = new PushQueue<ChangeEvent>(() => this.subscribers.delete(subscriber));
    // Its place is taken at once, so that concurrent subscribes cannot pass the limit together;
    // not live, it gets nothing from the poller until it has a position and has caught up.
    const subscriber = new FeedSubscriber(queue, 0n, options);
    this.subscribers.add(subscriber);
    try {
      await this.start();
      if (options.after === undefined || options.after === null) {
        subscriber.position = await this.reader.head();
      } else {
        subscriber.position = options.after;
        // The first read checks the cursor, so a bad one fails the subscribe, not the stream.
        await this.catchUpOnce(subscriber);
      }
    } catch (error) {
      void queue.return();
      throw error;
    }
    if (!queue.done) void this.catchUp(subscriber);
    return queue;
  }

  /** Read now rather than at the next tick (a commit in this process). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Ends every subscription and stops the poller. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.queue.end();
    this.wake();
    await this.loop;
  }

  /** Reads the log for the subscriber until it has reached the poller, then turns it live. */
  private async catchUp(subscriber: FeedSubscriber): Promise<void> {
    try {
      while (!subscriber.queue.done) {
        if (this.position !== null && subscriber.position >= this.position) {
          subscriber.live = true;
          return;
        }
        // Read no further than the subscriber takes: a long backlog waits in the log, not in memory.
        if (!(await subscriber.drained())) {
          subscriber.queue.fail(new SlowSubscriberError(subscriber.options.maxQueued, subscriber.options.stallMs));
          subscriber.options.onStall?.();
          return;
        }
        if (!subscriber.queue.done) await this.catchUpOnce(subscriber);
      }
    } catch (error) {
      subscriber.queue.fail(error);
    }
  }

  private async catchUpOnce(subscriber: FeedSubscriber): Promise<void> {
    const reached = this.position ?? subscriber.position;
    const rows = await this.reader.after(subscriber.position, { resources: subscriber.resources, limit: this.batchSize });
    const last = rows.length ? BigInt(rows[rows.length - 1]!.sequence) : subscriber.position;
    // A short read saw every wanted row up to the head at the time, which is past `reached`.
    const upTo = rows.length < this.batchSize && reached > last ? reached : last;
    subscriber.offer(rows, upTo);
  }

  private start(): Promise<void> {
    if (this.running && this.position !== null) return Promise.resolve();
    this.starting ??= (async () => {
      try {
        this.position = await this.reader.head();
        this.running = true;
        this.loop = this.poll();
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  private async poll(): Promise<void> {
    while (!this.closed && this.subscribers.size > 0) {
      let full = false;
      let wait = this.options.pollMs;
      try {
        full = await this.readOnce();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'the change feed could not read the change log; retrying');
        // A database that is down is asked again about every second, not at the poll rate.
        wait = Math.max(wait, FAILED_READ_WAIT_MS);
      }
      if (!full) await this.sleep(wait);
    }
    this.running = false;
    this.position = null;
  }

  /** One read after the position, offered to every live subscriber; true when the batch was full. */
  private async readOnce(): Promise<boolean> {
    const from = this.position!;
    const rows = await this.reader.after(from, { limit: this.batchSize });
    if (rows.length === 0) return false;
    const upTo = BigInt(rows[rows.length - 1]!.sequence);
    // First: a subscriber sent to catch up below must not find itself already at the old position.
    this.position = upTo;
    for (const subscriber of this.subscribers) {
      if (!subscriber.live) continue;
      if (subscriber.full) {
        // Behind: it reads these rows itself once it takes what waits (its position stays put).
        subscriber.live = false;
        void this.catchUp(subscriber);
      } else {
        subscriber.offer(rows, upTo);
      }
    }
    return rows.length === this.batchSize;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.sleeping) clearTimeout(this.sleeping);
        this.sleeping = null;
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      this.sleeping = setTimeout(done, ms);
    });
  }
}

import type { ChangeLogEntry } from '../entities/index.js';
import { groupChanges, type ChangeEvent } from './change-events.js';
import type { PushQueue } from './push-queue.js';

/** What a subscriber asks of the change feed (src/changes/change-feed.ts). */
export interface FeedSubscribeOptions {
  /** Resume after this sequence (a cursor seen before): catch up from the log, then live. Omitted: from the head, live only. */
  after?: bigint | null;
  /** Only these resources; omitted: all. */
  resources?: readonly string[] | null;
  /**
   * Changes waiting to be taken, at most (plus one read). A subscriber that reaches it stops
   * being fed live and reads the log itself as it takes what waits, so a burst costs it no
   * events and the process no memory.
   */
  maxQueued: number;
  /** How long it may take nothing while that many wait; then the stream fails with SlowSubscriberError and `onStall` runs. */
  stallMs: number;
  /** Told when the stream fails as stalled (the transport closes the client's socket). */
  onStall?: () => void;
}

/**
 * One subscriber of the change feed: where it has got to in the log, whether the poller feeds it
 * yet, and the queue its events wait in until its socket takes them.
 */
export class FeedSubscriber {
  /** Every change up to here has been offered (delivered or filtered out). */
  position: bigint;
  /** Fed by the poller; until then the subscriber reads the log itself. */
  live = false;
  private readonly wanted: ReadonlySet<string> | null;

  constructor(
    readonly queue: PushQueue<ChangeEvent>,
    start: bigint,
    readonly options: FeedSubscribeOptions,
  ) {
    this.position = start;
    this.wanted = options.resources ? new Set(options.resources) : null;
  }

  get resources(): readonly string[] | undefined {
    return this.options.resources ?? undefined;
  }

  /** Whether it has as many changes waiting as it may. */
  get full(): boolean {
    return this.queue.weight >= this.options.maxQueued;
  }

  /** Queues the rows after `position` (sequence order) it wants; `upTo` is how far they cover the log. */
  offer(rows: readonly ChangeLogEntry[], upTo: bigint): void {
    const fresh = rows.filter((row) => BigInt(row.sequence) > this.position && (this.wanted === null || this.wanted.has(row.resource)));
    for (const event of groupChanges(fresh)) this.queue.push(event, event.ids.length);
    if (upTo > this.position) this.position = upTo;
  }

  /** Waits until at most half of what it may hold waits; false once it has taken nothing for `stallMs` meanwhile. */
  async drained(): Promise<boolean> {
    const half = Math.floor(this.options.maxQueued / 2);
    while (this.queue.weight > half && !this.queue.done) {
      const idle = this.queue.idleMs;
      if (idle >= this.options.stallMs) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const recheck = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.stallMs - idle)));
      await Promise.race([this.queue.whenAtMost(half), recheck]);
      clearTimeout(timer);
    }
    return true;
  }
}

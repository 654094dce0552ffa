import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangeFeed, type ChangeStream } from '../../src/changes/change-feed.js';
import { ChangeCursorError, type ChangeLogReader, type ChangeQuery } from '../../src/changes/change-log.reader.js';
import type { ChangeLogEntry } from '../../src/entities/index.js';
import { createLogger } from '../../src/logger.js';

const RESOURCES = ['people', 'companies', 'opportunities', 'projects'];
const pause = (turns: number) => new Promise<void>((resolve) => (turns === 0 ? queueMicrotask(resolve) : setTimeout(resolve, turns)));

/**
 * The change log in memory, read as ChangeLogReader reads it (sequence order, resource filter,
 * limit, cursor checks), each read taking a random few milliseconds: reads of the poller and of
 * catching-up subscribers interleave with commits as they do against a database.
 */
class MemoryLog {
  readonly rows: ChangeLogEntry[] = [];
  constructor(private readonly delays: () => number) {}

  commit(resources: readonly string[]): void {
    const at = new Date();
    for (const resource of resources) {
      const sequence = String(this.rows.length + 1);
      this.rows.push({ sequence, resource, recordId: `r${sequence}`, kind: 'UPSERTED', source: 'sync', committedAt: at });
    }
  }

  async head(): Promise<bigint> {
    await pause(this.delays());
    return BigInt(this.rows.length);
  }

  async after(after: bigint, query: ChangeQuery): Promise<ChangeLogEntry[]> {
    await pause(this.delays());
    if (after > BigInt(this.rows.length)) throw new ChangeCursorError('past the head');
    const wanted = query.resources ? new Set(query.resources) : null;
    return this.rows.filter((row) => BigInt(row.sequence) > after && (!wanted || wanted.has(row.resource))).slice(0, query.limit);
  }
}

async function collect(stream: ChangeStream, until: () => boolean, into: string[]): Promise<void> {
  for (;;) {
    if (until()) return;
    const next = await Promise.race([stream.next(), pause(50).then(() => null)]);
    if (next === null) continue;
    if (next.done) return;
    into.push(...next.value.ids);
  }
}

describe('the change feed', () => {
  it('hands a resuming subscriber from catching up to live with no gap and no duplicate, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          before: fc.array(fc.constantFrom(...RESOURCES), { maxLength: 30 }),
          during: fc.array(fc.array(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
          subscribers: fc.array(
            fc.record({ cursorFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), resources: fc.option(fc.subarray(RESOURCES, { minLength: 1 }), { nil: null }), joinAfter: fc.nat(6) }),
            { minLength: 1, maxLength: 4 },
          ),
          batchSize: fc.integer({ min: 1, max: 7 }),
          seed: fc.integer(),
        }),
        async ({ before, during, subscribers, batchSize, seed }) => {
          let state = seed;
          const delays = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 3);
          const log = new MemoryLog(delays);
          log.commit(before);
          const feed = new ChangeFeed(log as unknown as ChangeLogReader, { pollMs: 1, batchSize, maxSubscribers: 10, logger: createLogger('silent') });
          const runs: Promise<{ expected: () => string[]; got: string[]; resumed: boolean }>[] = [];
          const ready: Promise<unknown>[] = [];
          let finalCommitted = false;
          let step = 0;
          const startSubscriber = (spec: (typeof subscribers)[number]) => {
            const head = log.rows.length;
            const cursor = spec.cursorFraction === null ? null : BigInt(Math.floor(spec.cursorFraction * head));
            const subscribed = feed.subscribe({ after: cursor, resources: spec.resources, maxQueued: 1_000_000, stallMs: 10_000 });
            ready.push(subscribed);
            return (async () => {
              const stream = await subscribed;
              // Without a cursor the stream starts at the head it read while subscribing: at least `head`.
              const from = cursor ?? BigInt(head);
              const got: string[] = [];
              await collect(stream, () => finalCommitted && got.length > 0 && got.at(-1) === lastWanted(), got);
              function lastWanted() {
                return expected().at(-1);
              }
              function expected() {
                return log.rows.filter((row) => BigInt(row.sequence) > from && (!spec.resources || spec.resources.includes(row.resource))).map((row) => row.recordId);
              }
              await stream.return!();
              return { expected, got, resumed: cursor !== null };
            })();
          };
          for (const commit of during) {
            for (const spec of subscribers) if (spec.joinAfter === step) runs.push(startSubscriber(spec));
            log.commit(commit);
            step++;
            await pause(delays());
          }
          for (const spec of subscribers) if (spec.joinAfter >= step) runs.push(startSubscriber(spec));
          // One last commit every subscriber wants (once each has its start), so each knows when it has seen everything.
          await Promise.all(ready);
          log.commit(RESOURCES);
          finalCommitted = true;
          const results = await Promise.all(runs);
          for (const { expected, got, resumed } of results) {
            const want = expected();
            if (resumed) expect(got).toEqual(want);
            // A subscriber without a cursor may start later than the head it was given (the head it read): a suffix.
            expect(want.slice(want.length - got.length)).toEqual(got);
            expect(new Set(got).size).toBe(got.length);
          }
          await feed.close();
          expect(feed.size).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);

  it('refuses a subscriber past the limit and frees its place when one leaves', async () => {
    const log = new MemoryLog(() => 0);
    const feed = new ChangeFeed(log as unknown as ChangeLogReader, { pollMs: 5, maxSubscribers: 2, logger: createLogger('silent') });
    const a = await feed.subscribe({ maxQueued: 10, stallMs: 1_000 });
    await feed.subscribe({ maxQueued: 10, stallMs: 1_000 });
    await expect(feed.subscribe({ maxQueued: 10, stallMs: 1_000 })).rejects.toThrow(/maximum of 2 subscriptions \(MAX_SUBSCRIPTIONS\)/);
    await a.return!();
    await expect(feed.subscribe({ maxQueued: 10, stallMs: 1_000 })).resolves.toBeDefined();
    await feed.close();
  });

  it('lets a subscriber that falls behind catch up from the log without losing a change, and fails one that takes nothing for too long', async () => {
    const log = new MemoryLog(() => 0);
    const feed = new ChangeFeed(log as unknown as ChangeLogReader, { pollMs: 1, batchSize: 4, maxSubscribers: 2, logger: createLogger('silent') });
    let stalled = 0;
    const slow = await feed.subscribe({ maxQueued: 5, stallMs: 60, onStall: () => stalled++ });
    const behind = await feed.subscribe({ maxQueued: 5, stallMs: 10_000 });
    await pause(5);
    for (let i = 0; i < 10; i++) log.commit(['people', 'companies', 'projects']);
    // `behind` takes slowly: it falls behind (never more than a read over its bound waits) and still gets all 30, in order.
    const got: string[] = [];
    while (got.length < 30) {
      const next = await behind.next();
      got.push(...next.value!.ids);
      await pause(3);
    }
    expect(got).toEqual(log.rows.map((r) => r.recordId));
    while (stalled === 0) await pause(5);
    await expect(slow.next()).rejects.toThrow(/5 changes waited to be sent for 60 ms/);
    expect(feed.size).toBe(1);
    await feed.close();
  });

  it('stops polling when the last subscriber leaves and starts again with the next', async () => {
    const log = new MemoryLog(() => 0);
    let reads = 0;
    const counted = { head: () => log.head(), after: (a: bigint, q: ChangeQuery) => (reads++, log.after(a, q)) };
    const feed = new ChangeFeed(counted as unknown as ChangeLogReader, { pollMs: 1, maxSubscribers: 2, logger: createLogger('silent') });
    const stream = await feed.subscribe({ maxQueued: 100, stallMs: 1_000 });
    await pause(20);
    expect(reads).toBeGreaterThan(2);
    await stream.return!();
    await pause(10);
    const stopped = reads;
    await pause(30);
    expect(reads).toBe(stopped);
    const again = await feed.subscribe({ maxQueued: 100, stallMs: 1_000 });
    log.commit(['projects']);
    const next = await again.next();
    expect(next.value?.ids).toEqual(['r1']);
    await feed.close();
  });
});

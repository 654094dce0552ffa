import { describe, expect, it } from 'vitest';
import { PageCheckError } from '../../src/sync/page-check.js';
import { strategyNameFor } from '../../src/sync/strategies/choose.js';
import { KeysetCreatedStrategy } from '../../src/sync/strategies/keyset-created.strategy.js';
import { KeysetModifiedStrategy } from '../../src/sync/strategies/keyset-modified.strategy.js';
import { PageNumberStrategy } from '../../src/sync/strategies/page-number.strategy.js';
import { ALL_CAPABILITIES, exact, fakeContext, FakeUpstream, stateAt } from './fake-upstream.js';

const NO_MODIFIED = { modifiedMin: false, modifiedMax: false } as const;

describe('choosing a strategy from the capabilities', () => {
  it('prefers keyset on date_modified, then on date_created, then page numbers', () => {
    expect(strategyNameFor(ALL_CAPABILITIES)).toBe('keyset-modified');
    expect(strategyNameFor({ ...ALL_CAPABILITIES, ...NO_MODIFIED })).toBe('keyset-created');
    expect(strategyNameFor({ ...ALL_CAPABILITIES, sortModifiedAsc: false })).toBe('keyset-created');
    expect(strategyNameFor({ ...ALL_CAPABILITIES, ...NO_MODIFIED, createdMin: false })).toBe('page-number');
    expect(strategyNameFor({ ...ALL_CAPABILITIES, sortModifiedAsc: false, sortCreatedAsc: false })).toBe('page-number');
  });
});

describe('keyset on date_modified', () => {
  it('mirrors exactly through a tie deeper than a page in a different order on every request', async () => {
    const up = new FakeUpstream();
    up.add(5);
    up.add(11, { modified: 2_000 });
    up.add(4, { modified: null });
    up.add(6);
    up.behaviour.unstableTies = true;
    const { ctx, mirror } = fakeContext(up);
    await new KeysetModifiedStrategy().full(ctx, null);
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
  });

  it('reads every record with a null date_modified without a minimum, however many (a range filter excludes them)', async () => {
    const up = new FakeUpstream();
    up.add(10, { modified: null });
    up.add(8);
    const { ctx, mirror } = fakeContext(up);
    await new KeysetModifiedStrategy().full(ctx, null);
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
  });

  it('picks up what changed from the stored cursor and never moves the cursor back', async () => {
    const up = new FakeUpstream();
    up.add(20);
    const { ctx, mirror } = fakeContext(up);
    const strategy = new KeysetModifiedStrategy();
    const first = await strategy.full(ctx, null);
    up.modify(3);
    up.add(2);
    const end = await strategy.incremental(ctx, stateAt(first.cursor!.minimum));
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
    expect(end.minimum).toBeGreaterThan(first.cursor!.minimum!);
  });

  it('fails loudly when the modified filter is ignored', async () => {
    const up = new FakeUpstream();
    up.add(20);
    up.behaviour.modifiedFilter = false;
    const { ctx } = fakeContext(up);
    await expect(new KeysetModifiedStrategy().full(ctx, null)).rejects.toThrow(/ignored the filter/);
  });
});

describe('keyset on date_created', () => {
  const setup = () => {
    const up = new FakeUpstream();
    up.add(10);
    up.add(7, { created: 1_500 });
    up.add(12);
    up.behaviour.modifiedFilter = false;
    up.behaviour.unstableTies = true;
    return up;
  };

  it('mirrors exactly where the modified filter is ignored, and leaves as cursor the newest date_modified at its start', async () => {
    const up = setup();
    const { ctx, mirror, state } = fakeContext(up, NO_MODIFIED);
    const newest = Math.max(...up.live().map((r) => r.date_modified!));
    let modifiedDuring: number | undefined;
    up.hook = (count) => {
      // Mid-crawl, a record the crawl already passed is modified: the next incremental must find it.
      if (count === 4) up.modify((modifiedDuring = 1));
    };
    const crawl = await new KeysetCreatedStrategy().full(ctx, null);
    expect(crawl.cursor).toEqual({ minimum: newest, page: 1 });
    expect(state.fullWatermark).toBe(String(newest));
    up.hook = undefined;
    expect(exact(up, mirror).stale).toEqual([modifiedDuring]);
    await new KeysetCreatedStrategy().incremental(ctx, stateAt(crawl.cursor!.minimum));
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
  });

  it('walks date_modified desc for an incremental, stopping at the first page wholly before the cursor', async () => {
    const up = setup();
    const { ctx, mirror } = fakeContext(up, NO_MODIFIED);
    const strategy = new KeysetCreatedStrategy();
    const crawl = await strategy.full(ctx, null);
    for (const id of [2, 9, 14]) up.modify(id);
    up.add(2);
    const before = up.searches;
    const end = await strategy.incremental(ctx, stateAt(crawl.cursor!.minimum));
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
    // 5 changed records and the one at the cursor: two pages of 3, a third reaching below the
    // cursor, then the 6 ids read at or above it looked up in batches of a page (3 here).
    expect(up.searches - before).toBe(3 + 2);
    expect(end!.minimum).toBe(Math.max(...up.live().map((r) => r.date_modified!)));
  });

  it('walks again when a record it read is deleted during the walk (the offsets shifted: one may have been skipped)', async () => {
    const up = setup();
    const { ctx, mirror } = fakeContext(up, NO_MODIFIED);
    const strategy = new KeysetCreatedStrategy();
    const crawl = await strategy.full(ctx, null);
    const changed = [3, 5, 8, 11, 13, 16, 20, 25];
    for (const id of changed) up.modify(id);
    let deleted = false;
    up.hook = (_count, body) => {
      // After page 1 of the walk: deleting its first record slides page 2's first onto page 1.
      if (!deleted && body.sort_direction === 'desc' && body.page_number === 1 && body.page_size === 3) {
        deleted = true;
        up.remove(changed[changed.length - 1]);
      }
    };
    await strategy.incremental(ctx, stateAt(crawl.cursor!.minimum));
    expect(deleted).toBe(true);
    const { missing, stale } = exact(up, mirror);
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('fails loudly when deletions keep shifting the walk', async () => {
    const up = setup();
    const { ctx } = fakeContext(up, NO_MODIFIED);
    const strategy = new KeysetCreatedStrategy();
    const crawl = await strategy.full(ctx, null);
    for (const id of [3, 5, 8, 11, 13, 16]) up.modify(id);
    up.hook = (_count, body) => {
      if (body.sort_direction === 'desc' && body.page_number === 1 && body.page_size === 3) {
        const newest = up.live().sort((a, b) => b.date_modified! - a.date_modified!)[0];
        up.remove(newest.id);
      }
    };
    await expect(strategy.incremental(ctx, stateAt(crawl.cursor!.minimum))).rejects.toThrow(PageCheckError);
  });

  it('without the descending sort or ids, an incremental is a complete created-date crawl', async () => {
    const up = setup();
    const { ctx, mirror } = fakeContext(up, { ...NO_MODIFIED, ids: false });
    up.modify(4);
    await new KeysetCreatedStrategy().incremental(ctx, stateAt(1_000));
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
  });
});

describe('page numbers', () => {
  const pageNumbers = (up: FakeUpstream) => fakeContext(up, { ...NO_MODIFIED, createdMin: false, sortModifiedAsc: false, sortCreatedAsc: false });

  it('mirrors exactly when the sort is ignored, after two crawls that agree', async () => {
    const up = new FakeUpstream();
    up.add(17);
    up.behaviour.sort = false;
    const { ctx, mirror } = pageNumbers(up);
    await new PageNumberStrategy().full(ctx);
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
    expect(up.searches).toBe(2 * 6);
  });

  it('crawls again when a deletion shifted the offsets during a crawl', async () => {
    const up = new FakeUpstream();
    up.add(17);
    up.behaviour.sort = false;
    up.hook = (count) => {
      if (count === 2) up.remove(1);
    };
    const { ctx, mirror } = pageNumbers(up);
    await new PageNumberStrategy().full(ctx);
    expect(exact(up, mirror)).toEqual({ missing: [], stale: [] });
    expect(up.searches).toBeGreaterThan(2 * 6);
  });

  it('fails loudly when ties come back in a different order each time, rather than end with a hole', async () => {
    const up = new FakeUpstream();
    for (let i = 0; i < 20; i++) up.add(1);
    for (const record of up.live()) up.records.set(record.id, { ...record, name: 'same' });
    up.behaviour = { ...up.behaviour, sort: false, unstableTies: true };
    const { ctx } = pageNumbers(up);
    await expect(new PageNumberStrategy().full(ctx)).rejects.toThrow(/page-number crawls in a row returned different sets of ids/);
  });

  it('fails loudly at the result cap', async () => {
    const up = new FakeUpstream();
    up.add(12);
    up.behaviour = { ...up.behaviour, sort: false, cap: 9, pastCap: 'empty' };
    const { ctx } = pageNumbers(up);
    await expect(new PageNumberStrategy().full(ctx)).rejects.toThrow(/result cap/);
  });
});

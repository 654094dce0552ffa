import type { SyncState } from '../../entities/index.js';
import type { Candidate } from '../deletion-candidates.js';
import { KeysetPaginator, START, type PagePosition } from '../paginators.js';
import { recheckWindows } from '../reconcile.js';
import { fullCheckpoint, incrementalCheckpoint, positionFrom } from '../sync-state.store.js';
import { later, type CrawlContext, type CrawlStrategy, type FullCrawl, type FullResume } from './strategy.js';

/**
 * Keyset windows on date_modified, where `minimum_modified_date` and the ascending sort are
 * honoured. A full crawl and an incremental are the same walk from different starts; both
 * checkpoint every page, and the incremental cursor is simply where the walk ended.
 */
export class KeysetModifiedStrategy implements CrawlStrategy {
  readonly name = 'keyset-modified' as const;

  /** From the stored cursor minus the lookback (re-reading a little is cheap; missing a late write is not). */
  async incremental(ctx: CrawlContext, state: SyncState): Promise<PagePosition> {
    const lookback = ctx.settings.lookbackSeconds;
    const stored = positionFrom(state.cursorModified, state.cursorPage);
    const start: PagePosition = stored.minimum === null || lookback === 0 ? stored : { minimum: stored.minimum - lookback, page: 1 };
    const last = await ctx.crawl(this.paginator(ctx, start), { checkpoint: incrementalCheckpoint });
    // A cursor never moves back: a lookback window that comes back empty must not pull it down by the lookback.
    return later(last?.next ?? start, stored);
  }

  async full(ctx: CrawlContext, resume: FullResume | null): Promise<FullCrawl> {
    const position = resume?.position ?? START;
    const paginator = this.paginator(ctx, position);
    const last = await ctx.crawl(paginator, { checkpoint: fullCheckpoint });
    return { cursor: last?.next ?? position, deepWindows: paginator.deepWindows, resumed: resume !== null };
  }

  /** The windows where drift can hide a live record from a keyset crawl (see reconcile.ts), crawled again. */
  async recheck(ctx: CrawlContext, candidates: readonly Candidate[], crawl: FullCrawl, onRows: (ids: readonly string[]) => void): Promise<void> {
    const groups = crawl.resumed ? await ctx.largeGroups(Math.ceil(ctx.settings.pageSize / 2)) : [];
    const windows = recheckWindows(crawl.deepWindows, groups, candidates);
    for (const window of windows.pending()) {
      // A window at or below 0 holds null-dated records: start without a minimum to be sure to reach them.
      const paginator = this.paginator(ctx, { minimum: window > 0 ? window : null, page: 1 });
      const last = await ctx.crawl(paginator, { onRows, until: (page) => (page.cursor ?? -Infinity) >= window + 1 });
      windows.covered(!last || last.last ? Infinity : (last.cursor ?? -Infinity));
    }
  }

  private paginator(ctx: CrawlContext, start: PagePosition): KeysetPaginator {
    const { pageSize, cap, tiePasses } = ctx.settings;
    const c = ctx.capabilities;
    // A tie on date_modified that offsets cannot read is read as a keyset on the other date inside it.
    const narrowBy = c.createdMin && c.createdMax && c.sortCreatedAsc && c.modifiedMax ? 'date_created' : undefined;
    return new KeysetPaginator({ pageSize, cap, tiePasses, field: 'date_modified', start, narrowBy });
  }
}

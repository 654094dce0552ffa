import type { SyncState } from '../../entities/index.js';
import { DescWalkPaginator } from '../desc-walk.paginator.js';
import { keyOf, PageCheckError } from '../page-check.js';
import { KeysetPaginator, START, type PagePosition } from '../paginators.js';
import { fullCheckpoint, positionFrom } from '../sync-state.store.js';
import { type CrawlContext, type CrawlStrategy, type FullCrawl, type FullResume } from './strategy.js';

/** Walks over the newest records before one is accepted as complete (a deletion during a walk forces another). */
export const WALK_PASSES = 3;

/**
 * For resources where only the created-date range is honoured (Copper's people and companies).
 *
 * Full crawls are keyset windows on date_created: it never changes, so a modification does not
 * move a record, a deletion does not shift a window (each starts at page 1 from a key), and new
 * records come last. The incremental cursor it leaves is the newest date_modified upstream held
 * when the crawl started (one request), so whatever changed during the crawl is newer than it.
 *
 * Incrementals walk `date_modified desc` from the newest record (desc-walk.paginator.ts) until a
 * page lies wholly before the cursor minus the lookback. Every id read is then looked up: one
 * gone means a deletion may have shifted the walk's offsets past a record, so the walk is
 * repeated (up to WALK_PASSES). The cursor stored is the newest date_modified seen at the start
 * of the walk that proved complete. Without the descending sort or `ids`, an incremental is a
 * complete created-date crawl (it deletes nothing).
 */
export class KeysetCreatedStrategy implements CrawlStrategy {
  readonly name = 'keyset-created' as const;

  async incremental(ctx: CrawlContext, state: SyncState): Promise<PagePosition | null> {
    const stored = positionFrom(state.cursorModified, 1);
    const { sortModifiedDesc, ids } = ctx.capabilities;
    if (stored.minimum === null || !sortModifiedDesc || !ids) {
      const watermark = await this.watermark(ctx);
      await ctx.crawl(this.paginator(ctx, START));
      return watermark === null ? null : { minimum: watermark, page: 1 };
    }
    const stopBelow = stored.minimum - ctx.settings.lookbackSeconds;
    for (let pass = 1; pass <= WALK_PASSES; pass++) {
      const { pageSize, cap, tiePasses } = ctx.settings;
      const walk = new DescWalkPaginator({ pageSize, cap, tiePasses, stopBelow });
      await ctx.crawl(walk);
      const read = [...walk.readIds].filter((id) => !id.startsWith('raw:'));
      const alive = await ctx.search.lookup(read, pageSize);
      // Their current state, too: whatever moved during the walk is written as it is now.
      if (alive.length > 0) await ctx.write(alive);
      const gone = read.length - alive.length;
      if (gone === 0) return walk.watermark === null ? stored : { minimum: Math.max(walk.watermark, stored.minimum), page: 1 };
      ctx.log.info({ pass, read: read.length, gone }, 'records read by the walk were deleted during it: walking again');
    }
    throw new PageCheckError(
      'unstable',
      `records kept being deleted while the date_modified desc walk read them (${WALK_PASSES} walks): a deletion shifts the walk's offsets, so none of them can be shown complete`,
    );
  }

  async full(ctx: CrawlContext, resume: FullResume | null): Promise<FullCrawl> {
    const watermark = resume ? resume.watermark : await this.watermark(ctx);
    if (!resume) await ctx.saveState({ fullWatermark: watermark === null ? null : String(Math.floor(watermark)) });
    const paginator = this.paginator(ctx, resume?.position ?? START);
    await ctx.crawl(paginator, { checkpoint: fullCheckpoint });
    return { cursor: watermark === null ? null : { minimum: watermark, page: 1 }, deepWindows: paginator.deepWindows, resumed: resume !== null };
  }

  /** Windows do not shift here, so only a tie read by offsets can hide a record: crawl again whole. */
  async recheck(ctx: CrawlContext, _candidates: unknown, _crawl: FullCrawl, onRows: (ids: readonly string[]) => void): Promise<void> {
    await ctx.crawl(this.paginator(ctx, START), { onRows });
  }

  /** The newest date_modified upstream holds now (null without the descending sort or any record). */
  private async watermark(ctx: CrawlContext): Promise<number | null> {
    if (!ctx.capabilities.sortModifiedDesc) return null;
    const { records } = await ctx.search.page({ page_number: 1, page_size: 1, sort_by: 'date_modified', sort_direction: 'desc' });
    return records.length > 0 ? keyOf(records[0], 'date_modified') : null;
  }

  private paginator(ctx: CrawlContext, start: PagePosition): KeysetPaginator {
    const { pageSize, cap, tiePasses } = ctx.settings;
    const c = ctx.capabilities;
    // A tie on date_created that offsets cannot read is read as a keyset on the other date inside it.
    const narrowBy = c.modifiedMin && c.modifiedMax && c.sortModifiedAsc && c.createdMax ? 'date_modified' : undefined;
    return new KeysetPaginator({ pageSize, cap, tiePasses, field: 'date_created', start, narrowBy });
  }
}

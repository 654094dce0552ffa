import { PageCheckError } from '../page-check.js';
import { PageNumberPaginator } from '../page-number.paginator.js';
import { type CrawlContext, type CrawlStrategy, type FullCrawl } from './strategy.js';

/** Crawls before two in a row must have agreed. */
export const PAGE_NUMBER_CRAWLS = 3;

/**
 * The last resort: page numbers over the whole resource, for an API that honours no range filter
 * together with a sort. Offsets shift when a record is deleted or moves, so a single crawl proves
 * nothing: the crawl is repeated until two in a row return the same set of ids (up to
 * PAGE_NUMBER_CRAWLS), else the run fails. Full and incremental are the same; only a full
 * deletes, and there is no cursor. Below the result cap only (the paginator fails at it).
 */
export class PageNumberStrategy implements CrawlStrategy {
  readonly name = 'page-number' as const;

  async incremental(ctx: CrawlContext): Promise<null> {
    await this.crawlUntilStable(ctx);
    return null;
  }

  async full(ctx: CrawlContext): Promise<FullCrawl> {
    await this.crawlUntilStable(ctx);
    return { cursor: null, deepWindows: new Set(), resumed: false };
  }

  /** Two crawls that agreed already re-checked everything. */
  async recheck(): Promise<void> {}

  private async crawlUntilStable(ctx: CrawlContext): Promise<void> {
    const { capabilities: caps, settings } = ctx;
    const sortBy = caps.sortCreatedAsc ? 'date_created' : caps.sortModifiedAsc ? 'date_modified' : null;
    let previous: Set<string> | null = null;
    for (let crawl = 1; crawl <= PAGE_NUMBER_CRAWLS; crawl++) {
      const paginator = new PageNumberPaginator({ pageSize: settings.pageSize, cap: settings.cap, sortBy });
      await ctx.crawl(paginator);
      const ids = new Set(paginator.ids);
      if (previous && sameSet(previous, ids)) return;
      if (previous) ctx.log.info({ crawl, before: previous.size, now: ids.size }, 'two page-number crawls disagree: crawling again');
      previous = ids;
    }
    throw new PageCheckError(
      'unstable',
      `${PAGE_NUMBER_CRAWLS} page-number crawls in a row returned different sets of ids (records changing, or ties ordered differently per request): no crawl can be shown complete`,
    );
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

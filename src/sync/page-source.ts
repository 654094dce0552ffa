import { selectRecords } from './data-selector.js';
import type { RequestStats, UpstreamClient } from './http-client.js';
import { describeRequest, type SearchBody } from './page-check.js';
import type { PagePosition, Paginator } from './paginators.js';

/**
 * The crawl loop, dlt's `paginate()`: request, select the records, let the paginator decide
 * what comes next, yield the page. It knows nothing about page numbers or windows.
 */
export interface Page {
  /** 1-based count of pages in this crawl. */
  number: number;
  records: unknown[];
  /** The body this page was requested with (for logs). */
  request: SearchBody;
  /** Where a crawl resumed after this page should start (the checkpoint to commit with it). */
  next: PagePosition;
  /** Largest cursor value seen so far. */
  cursor: number | null;
  last: boolean;
}

export interface PageSourceOptions {
  client: UpstreamClient;
  resource: string;
  path: string;
  dataSelector: string;
  paginator: Paginator;
  signal?: AbortSignal;
  stats?: RequestStats;
}

/**
 * While the consumer writes a page, the request for the next one is already on its way: the
 * paginator knows the next position as soon as a page arrives, so the upstream round trip and
 * the database write overlap instead of taking turns. At most one request is ahead, through the
 * same client (retries, rate limit); when the consumer stops early, it is aborted and dropped.
 */
export async function* fetchPages(options: PageSourceOptions): AsyncGenerator<Page> {
  const { client, paginator } = options;
  const ahead = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ahead.signal]) : ahead.signal;
  const send = () => {
    const request = paginator.request();
    const response = client.search(options.path, request, { resource: options.resource, signal, stats: options.stats });
    // Handled where it is awaited; until then a failure must not count as unhandled.
    response.catch(() => {});
    return { request, response };
  };
  let pending = send();
  try {
    for (let number = 1; ; number++) {
      const { request, response } = pending;
      const records = selectRecords(await response, options.dataSelector);
      paginator.updateState(records, describeRequest(options.path, request));
      const last = !paginator.hasNextPage;
      const page: Page = { number, records, request, next: paginator.position, cursor: paginator.cursor, last };
      if (!last) pending = send();
      yield page;
      if (last) return;
    }
  } finally {
    // The consumer stopped (a bound reached, a failed write, an abort): drop the request sent ahead.
    ahead.abort(new Error('page fetched ahead is no longer needed'));
  }
}

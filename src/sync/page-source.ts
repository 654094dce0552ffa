import { selectRecords } from './data-selector.js';
import type { RequestStats, UpstreamClient } from './http-client.js';
import { emptySearchBody, type PagePosition, type Paginator } from './paginators.js';

/**
 * The crawl loop, dlt's `paginate()`: request, select the records, let the paginator decide
 * what comes next, yield the page. It knows nothing about page numbers or windows.
 */
export interface Page {
  /** 1-based count of pages in this crawl. */
  number: number;
  records: unknown[];
  /** The body this page was requested with (for logs). */
  request: { page_number: number; minimum_modified_date?: number };
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

export async function* fetchPages(options: PageSourceOptions): AsyncGenerator<Page> {
  const { client, paginator } = options;
  const body = emptySearchBody();
  paginator.initRequest(body);
  for (let number = 1; ; number++) {
    const request = { page_number: body.page_number, minimum_modified_date: body.minimum_modified_date };
    const response = await client.search(options.path, body, { resource: options.resource, signal: options.signal, stats: options.stats });
    const records = selectRecords(response, options.dataSelector);
    paginator.updateState(records);
    const last = !paginator.hasNextPage;
    yield { number, records, request, next: paginator.position, cursor: paginator.cursor, last };
    if (last) return;
    paginator.updateRequest(body);
  }
}

import { selectRecords } from './data-selector.js';
import type { RequestStats, UpstreamClient } from './http-client.js';
import { checkShape, describeRequest, excerpt, idOf, PageCheckError, type SearchBody } from './page-check.js';

/** The most ids one `ids` search takes (the API's limit). */
export const IDS_PER_LOOKUP = 200;

/**
 * Single searches of one resource outside a page crawl: the probe's requests, the watermark
 * request, `ids` lookups. Each answer goes through the data selector and the shape check.
 */
export class ResourceSearch {
  constructor(
    private readonly client: UpstreamClient,
    readonly resource: string,
    readonly path: string,
    private readonly dataSelector: string,
    private readonly stats: RequestStats,
    private readonly signal?: AbortSignal,
  ) {}

  get requests(): number {
    return this.stats.requests;
  }

  async page(body: SearchBody): Promise<{ records: unknown[]; sent: string }> {
    const sent = describeRequest(this.path, body);
    const response = await this.client.search(this.path, body, { resource: this.resource, signal: this.signal, stats: this.stats });
    const records = selectRecords(response, this.dataSelector);
    checkShape(records, sent);
    return { records, sent };
  }

  /**
   * The live records among `ids`, looked up in batches of up to 200 (never more than a page). A record that was not asked for
   * means the API ignored the filter: that fails (a lookup is what deletions are confirmed by).
   */
  async lookup(ids: readonly string[], pageSize: number): Promise<unknown[]> {
    const found: unknown[] = [];
    const size = Math.min(pageSize, IDS_PER_LOOKUP);
    for (let i = 0; i < ids.length; i += size) {
      const batch = ids.slice(i, i + size);
      const asked = new Set(batch);
      const body: SearchBody = { page_number: 1, page_size: size, ids: batch.map(Number) };
      const { records, sent } = await this.page(body);
      const stranger = records.findIndex((record) => !asked.has(idOf(record) ?? ''));
      if (stranger >= 0) {
        throw new PageCheckError('ids', `${sent} returned a record that was not asked for (${excerpt(records, 'date_modified', stranger)}): the API ignored the ids filter`);
      }
      found.push(...records);
    }
    return found;
  }
}

import { UpstreamError } from '../errors/index.js';
import type { PaginatorKind } from './resources.js';

/**
 * Paginator strategies in the manner of dlt's: the page loop (page-source.ts) knows nothing
 * about page numbers or windows. A paginator is stateful and used for one crawl only.
 */

/** The JSON body of a search request. Paging lives here, never in the query string. */
export interface SearchBody {
  page_number: number;
  page_size: number;
  sort_by: string;
  sort_direction: 'asc' | 'desc';
  minimum_modified_date?: number;
}

/**
 * Where a crawl stands, as stored in `sync_state`: the window's inclusive lower bound on the
 * cursor field (null: no bound, the very start) and the page within it.
 */
export interface PagePosition {
  minimum: number | null;
  page: number;
}

export const START: PagePosition = Object.freeze({ minimum: null, page: 1 });

export interface Paginator {
  /** Sets the body of the first request from the starting position. */
  initRequest(body: SearchBody): void;
  /** Takes in the records of the page just received; decides the next position and whether there is one. */
  updateState(records: readonly unknown[]): void;
  /** Sets the body of the next request. */
  updateRequest(body: SearchBody): void;
  readonly hasNextPage: boolean;
  /** The checkpoint: where a crawl resumed after the last page taken in should start. */
  readonly position: PagePosition;
  /** The largest cursor value seen so far (epoch seconds), or null. */
  readonly cursor: number | null;
  /** Windows paged past page 1 (ties larger than a page), where drift can shift a record out of sight. */
  readonly deepWindows: ReadonlySet<number>;
}

export interface PaginatorOptions {
  pageSize: number;
  cursorField: string;
  start?: PagePosition;
}

/**
 * The cursor value the API sorts and filters a record by: a numeric `date_modified`; anything
 * else (null, missing, text) counts as 0, which the API sorts first and which a
 * `minimum_modified_date` above 0 excludes. So crawls that must see every record (a full
 * reconcile, the first incremental) start without a minimum, and an incremental started from a
 * cursor does not see a record that is new with a null `date_modified`: the next full will.
 */
export function cursorValue(record: unknown, field: string): number {
  const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function hasNumericCursor(record: unknown, field: string): boolean {
  const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * What both strategies share: the page, whether there is another, the largest cursor seen, and
 * the body fields every request carries (sorted ascending by the cursor field).
 */
abstract class BasePaginator implements Paginator {
  protected page: number;
  protected more = true;
  protected maxSeen: number | null = null;
  abstract readonly position: PagePosition;
  abstract readonly deepWindows: ReadonlySet<number>;

  constructor(protected readonly options: PaginatorOptions) {
    this.page = options.start?.page ?? START.page;
  }

  get hasNextPage(): boolean {
    return this.more;
  }

  get cursor(): number | null {
    return this.maxSeen;
  }

  initRequest(body: SearchBody): void {
    this.updateRequest(body);
  }

  updateRequest(body: SearchBody): void {
    body.page_number = this.page;
    body.page_size = this.options.pageSize;
    body.sort_by = this.options.cursorField;
    body.sort_direction = 'asc';
  }

  abstract updateState(records: readonly unknown[]): void;
}

/**
 * Keyset windows over `sort_by=date_modified asc` with `minimum_modified_date`. After a full
 * page the next window starts, at page 1, at the page's largest `date_modified`: it never
 * pages deep, so it never meets the 100,000 result cap, and a record that moves (is modified)
 * gets a newer timestamp, so a later window still finds it. Only when a whole page shares the
 * window's own timestamp does it advance `page_number` within that window. It stops at a page
 * shorter than `page_size`; a total-count header is never trusted.
 */
export class KeysetPaginator extends BasePaginator {
  private minimum: number | null;
  private readonly deep = new Set<number>();

  constructor(options: PaginatorOptions) {
    super(options);
    this.minimum = (options.start ?? START).minimum;
    if (this.page > 1 && this.minimum !== null) this.deep.add(this.minimum);
  }

  get position(): PagePosition {
    return { minimum: this.minimum, page: this.page };
  }

  get deepWindows(): ReadonlySet<number> {
    return this.deep;
  }

  override updateRequest(body: SearchBody): void {
    super.updateRequest(body);
    if (this.minimum === null) delete body.minimum_modified_date;
    else body.minimum_modified_date = this.minimum;
  }

  updateState(records: readonly unknown[]): void {
    const field = this.options.cursorField;
    let largest: number | null = null;
    for (const record of records) {
      const value = cursorValue(record, field);
      if (this.minimum !== null && value < this.minimum && hasNumericCursor(record, field)) {
        throw new UpstreamError(
          `the API returned a record with ${field} ${value} for minimum_modified_date ${this.minimum}: it ignores the filter, so keyset paging cannot work (use the page-number paginator for this API)`,
          200,
          false,
          'body',
        );
      }
      if (largest === null || value > largest) largest = value;
    }
    if (largest === null) {
      this.more = false;
      return;
    }
    // Null-dated records (key 0) inside a window above 0 would pull it back: a window only moves forward.
    if (this.minimum !== null && largest < this.minimum) largest = this.minimum;
    if (this.maxSeen === null || largest > this.maxSeen) this.maxSeen = largest;
    if (records.length < this.options.pageSize) {
      this.more = false;
      // The window is exhausted: a later crawl may start at the last timestamp seen.
      if (this.minimum === null || largest > this.minimum) this.moveTo(largest, 1);
      return;
    }
    if (largest === this.minimum) {
      // A whole page of one timestamp: only offsets can get past it.
      this.moveTo(this.minimum, this.page + 1);
      this.deep.add(this.minimum);
    } else {
      this.moveTo(largest, 1);
    }
  }

  private moveTo(minimum: number, page: number): void {
    this.minimum = minimum;
    this.page = page;
  }
}

/**
 * Plain page numbers, for an API without `minimum_modified_date`. Offsets shift under drift
 * and the result cap bounds how far it can go; prefer keyset wherever the API allows it.
 */
export class PageNumberPaginator extends BasePaginator {
  readonly deepWindows: ReadonlySet<number> = new Set();

  get position(): PagePosition {
    return { minimum: null, page: this.page };
  }

  override updateRequest(body: SearchBody): void {
    super.updateRequest(body);
    delete body.minimum_modified_date;
  }

  updateState(records: readonly unknown[]): void {
    for (const record of records) {
      const value = cursorValue(record, this.options.cursorField);
      if (this.maxSeen === null || value > this.maxSeen) this.maxSeen = value;
    }
    if (records.length < this.options.pageSize) this.more = false;
    else this.page += 1;
  }
}

/** A fresh paginator for one crawl. */
export function createPaginator(kind: PaginatorKind, options: PaginatorOptions): Paginator {
  return kind === 'keyset' ? new KeysetPaginator(options) : new PageNumberPaginator(options);
}

/** An empty request body; the paginator fills it. */
export function emptySearchBody(): SearchBody {
  return { page_number: 1, page_size: 1, sort_by: 'date_modified', sort_direction: 'asc' };
}

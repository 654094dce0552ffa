import { checkBounds, checkOrder, checkShape, idOf, keyOf, PageCheckError, type SearchBody, type SortField } from './page-check.js';

export type { SearchBody, SortField } from './page-check.js';

/**
 * Paginators in the manner of dlt's: the page loop (page-source.ts) knows nothing about page
 * numbers or windows. A paginator is stateful and used for one crawl only; it checks each page
 * it is given (order, filters, ties) before deciding the next request, and throws a
 * PageCheckError when a page shows the API did not do what was asked.
 */

/**
 * Where a crawl stands, as stored in `sync_state`: the window's inclusive lower bound on the
 * sort key (null: no bound, the very start) and the page within it.
 */
export interface PagePosition {
  minimum: number | null;
  page: number;
}

export const START: PagePosition = Object.freeze({ minimum: null, page: 1 });

export interface Paginator {
  /** The body of the next request. */
  request(): SearchBody;
  /** Takes in the records of the page just received (`sent` describes its request, for errors); decides what comes next. */
  updateState(records: readonly unknown[], sent: string): void;
  readonly hasNextPage: boolean;
  /** The checkpoint: where a crawl resumed after the last page taken in should start. */
  readonly position: PagePosition;
  /** The largest sort key seen so far (epoch seconds), or null. */
  readonly cursor: number | null;
  /** Windows paged past page 1 (ties larger than a page), where drift can shift a record out of sight. */
  readonly deepWindows: ReadonlySet<number>;
}

export interface PaginatorOptions {
  pageSize: number;
  /** The field the crawl sorts (and, for keyset, filters) by. */
  field: SortField;
  start?: PagePosition;
  /** Searches return at most this many records; a page starting past it proves nothing. */
  cap: number;
  /** Passes over a tie deeper than a page before failing. */
  tiePasses: number;
  /**
   * Another field whose range filter and ascending sort are honoured, as is the maximum filter
   * on `field`: a tie that cannot be read by offsets is then crawled as a keyset on this field
   * inside `field = key` (each window read whole, whatever the order within the tie).
   */
  narrowBy?: SortField;
}

/**
 * The date_modified a record sorts by, null, missing or text counting as 0. Kept for callers that
 * place a record in a window (deletion candidates); the paginators themselves tell null apart.
 */
export function cursorValue(record: unknown, field: string): number {
  return keyOf(record, field) ?? 0;
}

const MIN_FILTER: Record<SortField, 'minimum_modified_date' | 'minimum_created_date'> = {
  date_modified: 'minimum_modified_date',
  date_created: 'minimum_created_date',
};
const MAX_FILTER: Record<SortField, 'maximum_modified_date' | 'maximum_created_date'> = {
  date_modified: 'maximum_modified_date',
  date_created: 'maximum_created_date',
};

/** A tie being read by offsets: its key, the distinct ids held so far, and the pass. */
interface TieRead {
  key: number | null;
  members: Set<string>;
  pass: number;
}

/** An id for counting distinct records, even for one without a usable id. */
function memberId(record: unknown): string {
  return idOf(record) ?? `raw:${JSON.stringify(record)}`;
}

/**
 * Keyset windows over `sort_by=<field> asc` with `minimum_<field>`. After a full page the next
 * window starts, at page 1, at the page's largest key: it never pages deep, so it never meets the
 * result cap, and (for date_modified) a record that moves gets a newer key, so a later window
 * still finds it. Records whose key is null sort first and are read in the window without a
 * minimum, however many.
 *
 * Only a run of one key longer than a page (a tie, or the null-keyed records) is read by page
 * number. Its size is known exactly from where the first larger key appears (the order being
 * checked), so when the distinct ids read are fewer (the API orders ties differently on each
 * request, or drift shifted the offsets) the tie is read again, up to `tiePasses` passes, and
 * the crawl fails naming the tie if it still comes up short. A page of the tie that comes back
 * empty is a failure, never an end. Where another range filter is honoured (`narrowBy`), a tie
 * short of ids, about to reach the cap, or answered empty is crawled instead as a keyset on that
 * field inside the tie's key, whose windows are each read whole.
 */
export class KeysetPaginator implements Paginator {
  private minimum: number | null;
  private page: number;
  private more = true;
  private maxSeen: number | null = null;
  private readonly deep = new Set<number>();
  private tie: TieRead | null = null;
  private previousKey: number | null | undefined;
  /** The keyset on `narrowBy` crawling inside the current tie, while it runs. */
  private inner: { key: number; paginator: KeysetPaginator } | null = null;

  constructor(private readonly options: PaginatorOptions) {
    const start = options.start ?? START;
    this.minimum = start.minimum;
    this.page = start.page;
    // Resumed inside a tie: what came before was not counted, so the tie's check will re-read it.
    if (this.page > 1) this.enterTie();
  }

  get hasNextPage(): boolean {
    return this.more;
  }

  get cursor(): number | null {
    return this.maxSeen;
  }

  get position(): PagePosition {
    return { minimum: this.minimum, page: this.page };
  }

  get deepWindows(): ReadonlySet<number> {
    return this.deep;
  }

  request(): SearchBody {
    if (this.inner) return { ...this.inner.paginator.request(), [MIN_FILTER[this.options.field]]: this.inner.key, [MAX_FILTER[this.options.field]]: this.inner.key };
    const body: SearchBody = { page_number: this.page, page_size: this.options.pageSize, sort_by: this.options.field, sort_direction: 'asc' };
    if (this.minimum !== null) body[MIN_FILTER[this.options.field]] = this.minimum;
    return body;
  }

  updateState(records: readonly unknown[], sent: string): void {
    const { field, pageSize } = this.options;
    if (this.inner) return this.updateInner(records, sent);
    checkShape(records, sent);
    checkOrder(records, field, 'asc', sent, this.page > 1 ? this.previousKey : undefined);
    checkBounds(records, field, this.minimum ?? undefined, undefined, sent);
    for (const record of records) {
      const key = keyOf(record, field);
      if (key !== null && (this.maxSeen === null || key > this.maxSeen)) this.maxSeen = key;
    }
    if (records.length === 0) return this.onEmpty(sent);
    const window = this.minimum;
    const inTie = (record: unknown) => keyOf(record, field) === window;
    const whole = records.length === pageSize && records.every(inTie);
    if (this.tie || (this.page === 1 && whole)) {
      if (!this.tie) this.enterTie();
      const tie = this.tie!;
      for (const record of records) if (inTie(record)) tie.members.add(memberId(record));
      if (whole) {
        // The next page would start at the cap, where a page proves nothing: narrow instead, or stop here.
        if (this.page * pageSize >= this.options.cap) {
          if (this.narrow()) return;
          throw new PageCheckError(
            'cap',
            `a tie of at least ${this.page * pageSize} records share ${field} ${window ?? 'null'} (last request ${sent}), and its next page would start at the result cap (${this.options.cap}): the rest of the tie cannot be read by offsets, and no other filter narrows it`,
          );
        }
        this.page += 1;
        this.previousKey = keyOf(records[records.length - 1], field);
        return;
      }
      // The tie ends on this page: it holds exactly this many records.
      if (!this.tieComplete((this.page - 1) * pageSize + records.filter(inTie).length, sent)) return;
    }
    this.advance(records);
  }

  /** The next window: from the largest key of a full page, or the end at a short one. */
  private advance(records: readonly unknown[]): void {
    const keys = records.map((record) => keyOf(record, this.options.field)).filter((key): key is number => key !== null);
    const largest = keys.length > 0 ? Math.max(...keys) : null;
    this.previousKey = undefined;
    if (records.length < this.options.pageSize) {
      this.more = false;
      // The window is exhausted: a later crawl may start at the last key seen.
      if (largest !== null && (this.minimum === null || largest > this.minimum)) this.moveTo(largest, 1);
      return;
    }
    // A full page whose keys do not pass the window's own (null-keyed records an API sent inside it): a window only moves forward.
    if (largest === null || (this.minimum !== null && largest <= this.minimum)) {
      this.previousKey = keyOf(records[records.length - 1], this.options.field);
      this.moveTo(this.minimum, this.page + 1);
    } else this.moveTo(largest, 1);
  }

  /**
   * An empty page inside a tie: the tie either ended exactly at a page boundary at the very end
   * of the data, or the API stopped answering (past its cap, which may be lower than configured).
   * The two cannot be told apart, so the tie is read by a narrower crawl or the run fails.
   */
  private onEmpty(sent: string): void {
    const { pageSize, cap, field } = this.options;
    if (this.page === 1 || !this.tie) {
      this.more = false;
      return;
    }
    if (this.narrow()) return;
    const offset = (this.page - 1) * pageSize;
    const where = offset >= cap ? `starts at the result cap (${cap})` : `came back empty at record ${offset}`;
    throw new PageCheckError(
      'cap',
      `a tie of at least ${offset} records share ${field} ${this.minimum ?? 'null'}, and ${sent} ${where}: the rest of the tie cannot be read by offsets, and no other filter narrows it`,
    );
  }

  /** True when the tie holds `size` distinct ids; otherwise sets up the next pass over it (or fails). */
  private tieComplete(size: number, sent: string): boolean {
    const tie = this.tie!;
    if (tie.members.size >= size) {
      this.tie = null;
      return true;
    }
    // Short of ids: a narrower crawl reads the tie whole in fewer requests than passes would.
    if (this.narrow()) return false;
    if (tie.pass >= this.options.tiePasses) {
      throw new PageCheckError(
        'tie',
        `${size} records share ${this.options.field} ${tie.key ?? 'null'}, but after ${tie.pass} passes over them only ${tie.members.size} distinct ids came back (last request ${sent}): the order within the tie changes between requests and no pass read it whole`,
      );
    }
    tie.pass += 1;
    this.moveTo(this.minimum, 1);
    this.previousKey = undefined;
    return false;
  }

  /**
   * Crawls the current tie as a keyset on `narrowBy` inside `field = key`; false when that is not
   * possible (no such field, a null or fractional key: the window after it could not be named).
   */
  private narrow(): boolean {
    const key = this.tie?.key;
    const by = this.options.narrowBy;
    if (!by || by === this.options.field || key === null || key === undefined || !Number.isInteger(key)) return false;
    const { pageSize, cap, tiePasses } = this.options;
    this.inner = { key, paginator: new KeysetPaginator({ pageSize, cap, tiePasses, field: by }) };
    return true;
  }

  private updateInner(records: readonly unknown[], sent: string): void {
    const inner = this.inner!;
    checkBounds(records, this.options.field, inner.key, inner.key, sent);
    inner.paginator.updateState(records, sent);
    if (inner.paginator.hasNextPage) return;
    // The tie is read whole: on to what follows it (keys are whole seconds).
    this.inner = null;
    this.tie = null;
    this.previousKey = undefined;
    this.moveTo(inner.key + 1, 1);
  }

  private enterTie(): void {
    this.tie = { key: this.minimum, members: new Set(), pass: 1 };
    if (this.minimum !== null) this.deep.add(this.minimum);
  }

  private moveTo(minimum: number | null, page: number): void {
    this.minimum = minimum;
    this.page = page;
  }
}

export { DescWalkPaginator, type DescWalkOptions } from './desc-walk.paginator.js';
export { PageNumberPaginator } from './page-number.paginator.js';

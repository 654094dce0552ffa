import { checkOrder, checkShape, idOf, keyOf, PageCheckError, type SearchBody } from './page-check.js';
import type { PagePosition, Paginator } from './paginators.js';

/**
 * The incremental walk where the modified-date filter is not honoured: `sort_by=date_modified
 * desc` by page number from the newest record, until a page reaches below `stopBelow` (the
 * stored cursor minus the lookback: every later page would lie wholly before it), or the data
 * ends.
 *
 * What drift does to it: a record modified during the walk moves to the top, shifting what is
 * below it down by one (a record is read twice: harmless; the moved record itself is newer than
 * the watermark, so the next run reads it). A record created does the same. A record deleted
 * above the current offset shifts what is below it up by one, so one record slides onto a page
 * already read: that is the one way this walk can skip a record, and the strategy catches it by
 * looking up every id read afterwards (any that is gone means the walk must be repeated).
 *
 * Ties: a run of one date_modified that crosses a page boundary has an exactly known size (where
 * the key changes on either side, the order being checked); when fewer distinct ids were read
 * (ties ordered differently per request), its pages are read again, up to `tiePasses` passes.
 */
export interface DescWalkOptions {
  pageSize: number;
  cap: number;
  tiePasses: number;
  /** Stop after a page whose newest key is below this; null walks everything. */
  stopBelow: number | null;
}

interface Run {
  first: number;
  last: number;
  members: Set<string>;
}

export class DescWalkPaginator implements Paginator {
  readonly deepWindows: ReadonlySet<number> = new Set();
  /**
   * Every id the walk read at or above `stopBelow`, for the strategy's lookup afterwards (one of
   * them deleted during the walk may have shifted the offsets; one below it shifted nothing read).
   */
  readonly readIds = new Set<string>();
  private page = 1;
  private more = true;
  private top: number | null | undefined;
  private previousKey: number | null | undefined;
  private readonly runs = new Map<number, Run>();
  /** Pages still to read again for incomplete ties, and the pass over them. */
  private rereads: number[] = [];
  private pass = 1;

  constructor(private readonly options: DescWalkOptions) {}

  get hasNextPage(): boolean {
    return this.more;
  }

  /** The newest date_modified when the walk started: the next walk's cursor. */
  get watermark(): number | null {
    return this.top ?? null;
  }

  get cursor(): number | null {
    return this.watermark;
  }

  get position(): PagePosition {
    return { minimum: null, page: this.page };
  }

  request(): SearchBody {
    return { page_number: this.page, page_size: this.options.pageSize, sort_by: 'date_modified', sort_direction: 'desc' };
  }

  updateState(records: readonly unknown[], sent: string): void {
    const { pageSize, cap, stopBelow } = this.options;
    checkShape(records, sent);
    const rereading = this.rereads.length > 0 || this.pass > 1;
    checkOrder(records, 'date_modified', 'desc', sent, !rereading && this.page > 1 ? this.previousKey : undefined);
    const offset = (this.page - 1) * pageSize;
    if (this.top === undefined) this.top = records.length > 0 ? keyOf(records[0], 'date_modified') : null;
    records.forEach((record, i) => this.take(record, offset + i, rereading));
    if (rereading) return this.nextReread(sent);
    this.previousKey = records.length > 0 ? keyOf(records[records.length - 1], 'date_modified') : undefined;
    // Null keys sort last: reaching them is reaching the end of what an incremental can see.
    const oldest = records.length > 0 ? keyOf(records[records.length - 1], 'date_modified') : null;
    const reached = oldest === null || (stopBelow !== null && oldest < stopBelow);
    if (records.length < pageSize || reached) return this.endWalk(sent);
    if (offset + pageSize >= cap) {
      throw new PageCheckError(
        'cap',
        `${sent}: more than ${cap} records were modified since the cursor, and pages past the result cap cannot be read: run a full sync`,
      );
    }
    this.page += 1;
  }

  private take(record: unknown, position: number, rereading: boolean): void {
    const id = idOf(record) ?? `raw:${JSON.stringify(record)}`;
    const key = keyOf(record, 'date_modified');
    if (key === null || (this.options.stopBelow !== null && key < this.options.stopBelow)) return;
    this.readIds.add(id);
    const run = this.runs.get(key);
    if (!run) this.runs.set(key, { first: position, last: position, members: new Set([id]) });
    else {
      run.members.add(id);
      // Positions come from the walk itself; a re-read only adds members.
      if (!rereading) run.last = Math.max(run.last, position);
    }
  }

  private endWalk(sent: string): void {
    this.rereads = this.pagesToReread();
    if (this.rereads.length === 0) {
      this.more = false;
      return;
    }
    this.pass = 2;
    this.page = this.rereads.shift()!;
    void sent;
  }

  private nextReread(sent: string): void {
    if (this.rereads.length > 0) {
      this.page = this.rereads.shift()!;
      return;
    }
    const pages = this.pagesToReread();
    if (pages.length === 0) {
      this.more = false;
      return;
    }
    if (this.pass >= this.options.tiePasses) {
      const [key, run] = [...this.runs].find(([, r]) => r.members.size < r.last - r.first + 1)!;
      throw new PageCheckError(
        'tie',
        `${run.last - run.first + 1} records share date_modified ${key}, but after ${this.pass} passes only ${run.members.size} distinct ids came back (last request ${sent}): the order within the tie changes between requests`,
      );
    }
    this.pass += 1;
    this.rereads = pages;
    this.page = this.rereads.shift()!;
  }

  /** Pages covering each run that crosses a page boundary and holds fewer distinct ids than its size. */
  private pagesToReread(): number[] {
    const { pageSize } = this.options;
    const pages = new Set<number>();
    for (const run of this.runs.values()) {
      const firstPage = Math.floor(run.first / pageSize) + 1;
      const lastPage = Math.floor(run.last / pageSize) + 1;
      if (firstPage === lastPage || run.members.size >= run.last - run.first + 1) continue;
      for (let page = firstPage; page <= lastPage; page++) pages.add(page);
    }
    return [...pages].sort((a, b) => a - b);
  }
}

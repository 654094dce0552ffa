import { checkOrder, checkShape, idOf, PageCheckError, type SearchBody, type SortField } from './page-check.js';
import type { PagePosition, Paginator } from './paginators.js';

/**
 * Plain page numbers, the last resort for a resource where no range filter and sort work
 * together. It sorts by `sortBy` when that sort is honoured (the order is then checked), else
 * takes the API's default order. Offsets shift under drift, so the strategy crawls until two
 * crawls in a row see the same ids; and a crawl that reaches the result cap fails instead of
 * stopping short.
 */
export class PageNumberPaginator implements Paginator {
  readonly deepWindows: ReadonlySet<number> = new Set();
  /** The ids read, in order (the strategy compares two crawls). */
  readonly ids: string[] = [];
  private page: number;
  private more = true;
  private previousKey: number | null | undefined;

  constructor(
    private readonly options: { pageSize: number; cap: number; sortBy: SortField | null; start?: PagePosition },
  ) {
    this.page = options.start?.page ?? 1;
  }

  get hasNextPage(): boolean {
    return this.more;
  }

  get cursor(): number | null {
    return null;
  }

  get position(): PagePosition {
    return { minimum: null, page: this.page };
  }

  request(): SearchBody {
    const body: SearchBody = { page_number: this.page, page_size: this.options.pageSize };
    if (this.options.sortBy) Object.assign(body, { sort_by: this.options.sortBy, sort_direction: 'asc' });
    return body;
  }

  updateState(records: readonly unknown[], sent: string): void {
    const { pageSize, cap, sortBy } = this.options;
    checkShape(records, sent);
    if (sortBy) checkOrder(records, sortBy, 'asc', sent, this.page > 1 ? this.previousKey : undefined);
    for (const record of records) this.ids.push(idOf(record) ?? `raw:${JSON.stringify(record)}`);
    if (records.length < pageSize) {
      this.more = false;
      return;
    }
    if (this.page * pageSize >= cap) {
      throw new PageCheckError('cap', `${sent}: the resource holds more records than the result cap (${cap}) and page numbers cannot go past it; no range filter that would narrow it is honoured`);
    }
    if (sortBy) this.previousKey = (records[records.length - 1] as Record<string, unknown>)[sortBy] as number | null;
    this.page += 1;
  }
}

import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors/index.js';
import { emptySearchBody, KeysetPaginator, PageNumberPaginator, type Paginator, type SearchBody } from '../../src/sync/paginators.js';

const at = (...stamps: (number | null | undefined)[]) =>
  stamps.map((date_modified, i) => (date_modified === undefined ? { id: i + 1 } : { id: i + 1, date_modified }));

/** Feeds pages to a paginator and returns the request bodies it produced, first included. */
function drive(paginator: Paginator, pages: unknown[][]): SearchBody[] {
  const body = emptySearchBody();
  paginator.initRequest(body);
  const bodies = [{ ...body }];
  for (const page of pages) {
    paginator.updateState(page);
    if (!paginator.hasNextPage) break;
    paginator.updateRequest(body);
    bodies.push({ ...body });
  }
  return bodies;
}

describe('KeysetPaginator', () => {
  const keyset = (start?: { minimum: number | null; page: number }) =>
    new KeysetPaginator({ pageSize: 3, cursorField: 'date_modified', start });

  it('starts without a minimum, sorted by date_modified ascending, so null-dated records come first', () => {
    const [first] = drive(keyset(), []);
    expect(first).toEqual({ page_number: 1, page_size: 3, sort_by: 'date_modified', sort_direction: 'asc' });
  });

  it('starts a new window at page 1 from the largest timestamp of each full page', () => {
    const bodies = drive(keyset(), [at(null, 10, 20), at(20, 30, 40), at(40)]);
    expect(bodies.map((b) => [b.minimum_modified_date, b.page_number])).toEqual([[undefined, 1], [20, 1], [40, 1]]);
  });

  it('pages within a window only when a whole page shares its timestamp (a tie larger than a page)', () => {
    const p = keyset({ minimum: 50, page: 1 });
    const bodies = drive(p, [at(50, 50, 50), at(50, 50, 50), at(50, 60, 70), at(70)]);
    expect(bodies.map((b) => [b.minimum_modified_date, b.page_number])).toEqual([[50, 1], [50, 2], [50, 3], [70, 1]]);
    expect([...p.deepWindows]).toEqual([50]);
  });

  it('stops at a page shorter than page_size, and checkpoints at its largest timestamp', () => {
    const p = keyset({ minimum: 5, page: 1 });
    drive(p, [at(5, 8)]);
    expect(p.hasNextPage).toBe(false);
    expect(p.position).toEqual({ minimum: 8, page: 1 });
    expect(p.cursor).toBe(8);
  });

  it('stops at an empty page and keeps its position', () => {
    const p = keyset({ minimum: 9, page: 2 });
    drive(p, [[]]);
    expect(p.hasNextPage).toBe(false);
    expect(p.position).toEqual({ minimum: 9, page: 2 });
    expect(p.cursor).toBeNull();
  });

  it('keeps the page of a short last page inside a tie', () => {
    const p = keyset({ minimum: 50, page: 3 });
    drive(p, [at(50)]);
    expect(p.position).toEqual({ minimum: 50, page: 3 });
  });

  it('leaves the no-minimum window even when its first page is all null-dated (they count as 0)', () => {
    const bodies = drive(keyset(), [at(null, undefined, null), at(null, 0, 4), at(9)]);
    expect(bodies.map((b) => [b.minimum_modified_date, b.page_number])).toEqual([[undefined, 1], [0, 1], [4, 1]]);
  });

  it('never moves a window back, even if an API sends null-dated records inside it', () => {
    const bodies = drive(keyset({ minimum: 100, page: 1 }), [at(null, null, null), at(null, 100, 120), at(130)]);
    expect(bodies.map((b) => [b.minimum_modified_date, b.page_number])).toEqual([[100, 1], [100, 2], [120, 1]]);
  });

  it('fails loudly when the API ignores minimum_modified_date', () => {
    const p = keyset({ minimum: 100, page: 1 });
    expect(() => p.updateState(at(1, 2, 3))).toThrow(UpstreamError);
    expect(() => keyset({ minimum: 100, page: 1 }).updateState(at(1, 2, 3))).toThrow(/ignores the filter/);
  });

  it('resumes from a stored position', () => {
    const [first] = drive(keyset({ minimum: 1234, page: 4 }), []);
    expect(first).toMatchObject({ page_number: 4, minimum_modified_date: 1234 });
  });
});

describe('PageNumberPaginator', () => {
  it('counts pages without a minimum and stops at a short page', () => {
    const p = new PageNumberPaginator({ pageSize: 2, cursorField: 'date_modified' });
    const bodies = drive(p, [at(5, 1), at(3, 9), at(2)]);
    expect(bodies.map((b) => b.page_number)).toEqual([1, 2, 3]);
    expect(bodies.every((b) => b.minimum_modified_date === undefined)).toBe(true);
    expect(p.hasNextPage).toBe(false);
    expect(p.cursor).toBe(9);
  });

  it('stops at an empty page', () => {
    const p = new PageNumberPaginator({ pageSize: 2, cursorField: 'date_modified', start: { minimum: null, page: 7 } });
    expect(drive(p, [[]])).toHaveLength(1);
    expect(p.hasNextPage).toBe(false);
  });
});

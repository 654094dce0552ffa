import { describe, expect, it } from 'vitest';
import { PageCheckError } from '../../src/sync/page-check.js';
import { DescWalkPaginator, KeysetPaginator, PageNumberPaginator, type Paginator, type SearchBody } from '../../src/sync/paginators.js';

/** Records with ids from `first` and these date_modified values (undefined: the field is missing). */
const at = (first: number, ...stamps: (number | null | undefined)[]) =>
  stamps.map((date_modified, i) => (date_modified === undefined ? { id: first + i } : { id: first + i, date_modified }));

/** Feeds pages to a paginator and returns the request bodies it produced, first included. */
function drive(paginator: Paginator, pages: unknown[][]): SearchBody[] {
  const bodies = [paginator.request()];
  for (const page of pages) {
    paginator.updateState(page, 'test request');
    if (!paginator.hasNextPage) break;
    bodies.push(paginator.request());
  }
  return bodies;
}

const windows = (bodies: SearchBody[]) => bodies.map((b) => [b.minimum_modified_date, b.page_number]);

describe('KeysetPaginator', () => {
  const keyset = (start?: { minimum: number | null; page: number }, tiePasses = 5) =>
    new KeysetPaginator({ pageSize: 3, field: 'date_modified', start, cap: 1_000, tiePasses });

  it('starts without a minimum, sorted by date_modified ascending, so null-dated records come first', () => {
    expect(keyset().request()).toEqual({ page_number: 1, page_size: 3, sort_by: 'date_modified', sort_direction: 'asc' });
  });

  it('starts a new window at page 1 from the largest timestamp of each full page', () => {
    expect(windows(drive(keyset(), [at(1, null, 10, 20), at(4, 20, 30, 40), at(7, 40)]))).toEqual([[undefined, 1], [20, 1], [40, 1]]);
  });

  it('pages within a window only when a whole page shares its timestamp (a tie larger than a page)', () => {
    const p = keyset({ minimum: 50, page: 1 });
    const bodies = drive(p, [at(1, 50, 50, 50), at(4, 50, 50, 50), at(7, 50, 60, 70), at(10, 70)]);
    expect(windows(bodies)).toEqual([[50, 1], [50, 2], [50, 3], [70, 1]]);
    expect([...p.deepWindows]).toEqual([50]);
  });

  it('reads a tie again when fewer distinct ids came back than the tie holds (unstable order), then moves on', () => {
    const p = keyset({ minimum: 50, page: 1 });
    // 7 records share 50: pass 1 sees ids 1,2,3 then 1,2,3 again (shuffled), then id 7 and a later key.
    const pass1 = [at(1, 50, 50, 50), at(1, 50, 50, 50), [{ id: 7, date_modified: 50 }, { id: 20, date_modified: 60 }]];
    const pass2 = [at(4, 50, 50, 50), at(1, 50, 50, 50), [{ id: 7, date_modified: 50 }, { id: 20, date_modified: 60 }]];
    const bodies = drive(p, [...pass1, ...pass2]);
    expect(windows(bodies)).toEqual([[50, 1], [50, 2], [50, 3], [50, 1], [50, 2], [50, 3]]);
    expect(p.hasNextPage).toBe(false);
    expect(p.position).toEqual({ minimum: 60, page: 1 });
  });

  it('fails naming the tie when the passes run out', () => {
    const p = keyset({ minimum: 50, page: 1 }, 2);
    const pass = [at(1, 50, 50, 50), at(1, 50, 50, 50), [{ id: 7, date_modified: 50 }]];
    expect(() => drive(p, [...pass, ...pass])).toThrow(/7 records share date_modified 50, but after 2 passes over them only 4 distinct ids/);
  });

  it('reads null-dated records without a minimum, however many, and counts them as a tie', () => {
    const bodies = drive(keyset(), [at(1, null, undefined, null), at(4, null, 0, 4), at(7, 9)]);
    expect(windows(bodies)).toEqual([[undefined, 1], [undefined, 2], [4, 1]]);
  });

  it('stops at a page shorter than page_size, and checkpoints at its largest timestamp', () => {
    const p = keyset({ minimum: 5, page: 1 });
    drive(p, [at(1, 5, 8)]);
    expect(p.hasNextPage).toBe(false);
    expect(p.position).toEqual({ minimum: 8, page: 1 });
    expect(p.cursor).toBe(8);
  });

  it('stops at an empty first page and keeps its position', () => {
    const p = keyset({ minimum: 9, page: 1 });
    drive(p, [[]]);
    expect(p.hasNextPage).toBe(false);
    expect(p.position).toEqual({ minimum: 9, page: 1 });
    expect(p.cursor).toBeNull();
  });

  it('fails instead of asking for a page of a tie at the cap, when nothing narrows the tie', () => {
    const p = new KeysetPaginator({ pageSize: 3, field: 'date_modified', start: { minimum: 50, page: 1 }, cap: 6, tiePasses: 3 });
    expect(() => drive(p, [at(1, 50, 50, 50), at(4, 50, 50, 50)])).toThrow(/a tie of at least 6 records share date_modified 50 .* next page would start at the result cap \(6\)/);
  });

  it('fails when a page inside a tie comes back empty below the cap (the API may stop earlier than configured)', () => {
    const p = keyset({ minimum: 50, page: 1 });
    expect(() => drive(p, [at(1, 50, 50, 50), at(4, 50, 50, 50), []])).toThrow(/a tie of at least 6 records share date_modified 50, and test request came back empty at record 6/);
  });

  it('reads a tie that would reach the cap as a keyset on date_created inside it, then goes on after it', () => {
    const p = new KeysetPaginator({ pageSize: 3, field: 'date_modified', start: { minimum: 50, page: 1 }, cap: 6, tiePasses: 3, narrowBy: 'date_created' });
    const tied = (id: number, created: number) => ({ id, date_modified: 50, date_created: created });
    const bodies = drive(p, [
      [tied(1, 1), tied(2, 2), tied(3, 3)],
      [tied(4, 4), tied(5, 5), tied(6, 6)],
      // page 3 would start at the cap: the tie is crawled by date_created windows instead
      [tied(1, 1), tied(2, 2), tied(3, 3)],
      [tied(3, 3), tied(4, 4), tied(5, 5)],
      [tied(5, 5), tied(6, 6), tied(7, 7)],
      [tied(7, 7)],
      at(20, 60),
    ]);
    expect(bodies.map((b) => [b.minimum_modified_date, b.maximum_modified_date, b.sort_by, b.minimum_created_date, b.page_number])).toEqual([
      [50, undefined, 'date_modified', undefined, 1],
      [50, undefined, 'date_modified', undefined, 2],
      [50, 50, 'date_created', undefined, 1],
      [50, 50, 'date_created', 3, 1],
      [50, 50, 'date_created', 5, 1],
      [50, 50, 'date_created', 7, 1],
      [51, undefined, 'date_modified', undefined, 1],
    ]);
    expect(p.hasNextPage).toBe(false);
  });

  it('never moves a window back, even if an API sends null-dated records inside it', () => {
    expect(windows(drive(keyset({ minimum: 100, page: 1 }), [at(1, null, null, null), at(4, null, 100, 120), at(7, 130)]))).toEqual([
      [100, 1],
      [100, 2],
      [120, 1],
    ]);
  });

  it('fails loudly when the API ignores the minimum filter', () => {
    expect(() => keyset({ minimum: 100, page: 1 }).updateState(at(1, 101, 102, 103).concat(at(4, 1)), 'sent')).toThrow(PageCheckError);
    expect(() => keyset({ minimum: 100, page: 1 }).updateState(at(1, 1, 2, 3), 'sent')).toThrow(/ignored the filter/);
  });

  it('fails loudly when a page is out of order (the API ignored the sort)', () => {
    expect(() => keyset().updateState(at(1, 30, 10, 20), 'sent')).toThrow(/out of date_modified asc order at record #2[\s\S]*ignored the sort/);
  });

  it('fails when the records do not look like records', () => {
    expect(() => keyset().updateState([1, 2, 3], 'sent')).toThrow(/not a record object/);
    expect(() => keyset().updateState([{ name: 'a' }, { name: 'b' }], 'sent')).toThrow(/none of which has an id/);
  });

  it('resumes from a stored position, and re-reads the tie it resumed in from its start', () => {
    const p = keyset({ minimum: 1234, page: 2 });
    expect(p.request()).toMatchObject({ page_number: 2, minimum_modified_date: 1234 });
    const bodies = drive(p, [[{ id: 4, date_modified: 1234 }, { id: 5, date_modified: 1240 }]]);
    expect(windows(bodies)).toEqual([[1234, 2], [1234, 1]]);
  });

  it('filters on date_created for the created-date keyset', () => {
    const p = new KeysetPaginator({ pageSize: 2, field: 'date_created', start: { minimum: 7, page: 1 }, cap: 100, tiePasses: 2 });
    expect(p.request()).toEqual({ page_number: 1, page_size: 2, sort_by: 'date_created', sort_direction: 'asc', minimum_created_date: 7 });
    p.updateState([{ id: 1, date_created: 7 }, { id: 2, date_created: 9 }], 'sent');
    expect(p.request()).toMatchObject({ minimum_created_date: 9, page_number: 1 });
  });
});

describe('DescWalkPaginator', () => {
  const walk = (stopBelow: number | null, tiePasses = 4) => new DescWalkPaginator({ pageSize: 3, cap: 9, tiePasses, stopBelow });

  it('walks date_modified desc until a page reaches below the stop, keeping the newest key as watermark', () => {
    const p = walk(50);
    const bodies = drive(p, [at(1, 90, 80, 70), at(4, 60, 55, 49), at(7, 40, 30, 20)]);
    expect(bodies.map((b) => [b.sort_direction, b.page_number])).toEqual([['desc', 1], ['desc', 2]]);
    expect(p.hasNextPage).toBe(false);
    expect(p.watermark).toBe(90);
    // Only what lies at or above the stop is looked up afterwards.
    expect([...p.readIds]).toEqual(['1', '2', '3', '4', '5']);
  });

  it('re-reads the pages of a tie that crosses a page boundary until it holds as many ids as it spans', () => {
    const p = walk(0);
    // Key 70 spans positions 1..3 (3 records): the walk saw ids 2, 3 and 2 again.
    const bodies = drive(p, [at(1, 90, 70, 70), [{ id: 2, date_modified: 70 }, { id: 5, date_modified: 60 }], at(2, 90, 70, 70), [{ id: 4, date_modified: 70 }, { id: 5, date_modified: 60 }]]);
    expect(bodies.map((b) => b.page_number)).toEqual([1, 2, 1, 2]);
    expect(p.hasNextPage).toBe(false);
  });

  it('fails when the walk would pass the result cap', () => {
    expect(() => drive(walk(0), [at(1, 90, 80, 70), at(4, 60, 55, 50), at(7, 40, 30, 20)])).toThrow(/more than 9 records were modified since the cursor/);
  });

  it('fails when a page is not in descending order', () => {
    expect(() => walk(0).updateState(at(1, 10, 20, 30), 'sent')).toThrow(/out of date_modified desc order/);
  });
});

describe('PageNumberPaginator', () => {
  it('counts pages without a minimum and stops at a short page', () => {
    const p = new PageNumberPaginator({ pageSize: 2, cap: 100, sortBy: null });
    const bodies = drive(p, [at(1, 5, 1), at(3, 3, 9), at(5, 2)]);
    expect(bodies.map((b) => b.page_number)).toEqual([1, 2, 3]);
    expect(bodies.every((b) => b.minimum_modified_date === undefined && b.sort_by === undefined)).toBe(true);
    expect(p.hasNextPage).toBe(false);
    expect(p.ids).toEqual(['1', '2', '3', '4', '5']);
  });

  it('checks the order when it sorts', () => {
    const p = new PageNumberPaginator({ pageSize: 2, cap: 100, sortBy: 'date_modified' });
    expect(() => drive(p, [at(1, 1, 5), at(3, 3, 9)])).toThrow(/ignored the sort/);
  });

  it('fails loudly at the result cap instead of stopping short', () => {
    const p = new PageNumberPaginator({ pageSize: 2, cap: 4, sortBy: null });
    expect(() => drive(p, [at(1, 1, 2), at(3, 3, 4)])).toThrow(/more records than the result cap \(4\)/);
  });
});

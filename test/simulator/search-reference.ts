import { timestampKey, type SearchQuery, type UpstreamRecord } from '../../src/simulator/index.js';
import { compareValues } from '../../src/simulator/sorted-index.js';

/** Slow, obvious versions of what the store does fast, to compare against. */

export const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  page_number: 1, page_size: 200, sort_direction: 'asc', ...overrides,
});

export const keyOf = (record: UpstreamRecord, field: string): unknown =>
  field === 'date_modified' || field === 'date_created' ? timestampKey(record[field]) : record[field];

/** Every matching record in the order an honest API serves them: by the field, ties by id ascending in both directions. */
export function honestResult(records: UpstreamRecord[], q: Partial<SearchQuery>, sortBy = q.sort_by ?? 'date_modified'): UpstreamRecord[] {
  // A range filter leaves out records whose date is null or missing, whatever its bounds.
  const within = (value: unknown, min?: number, max?: number) =>
    (min === undefined && max === undefined) || (typeof value === 'number' && (min === undefined || value >= min) && (max === undefined || value <= max));
  const ids = q.ids && new Set(q.ids);
  const sign = q.sort_direction === 'desc' ? -1 : 1;
  return records
    .filter((r) => within(r.date_modified, q.minimum_modified_date, q.maximum_modified_date))
    .filter((r) => within(r.date_created, q.minimum_created_date, q.maximum_created_date))
    .filter((r) => !ids || ids.has(r.id as number))
    .sort((a, b) => sign * compareValues(keyOf(a, sortBy), keyOf(b, sortBy)) || (a.id as number) - (b.id as number));
}

/** Pages from 1 until a short page (or the cap), as a client that trusts page numbers would. */
export function crawl(search: (q: SearchQuery) => { records: UpstreamRecord[] }, base: Partial<SearchQuery> = {}, cap = Infinity): UpstreamRecord[] {
  const out: UpstreamRecord[] = [];
  const size = base.page_size ?? 200;
  for (let page = 1; (page - 1) * size < cap; page++) {
    const { records } = search(query({ ...base, page_number: page }));
    out.push(...records);
    if (records.length < size) return out;
  }
  return out;
}

export const idsOf = (records: UpstreamRecord[]): unknown[] => records.map((r) => r.id);

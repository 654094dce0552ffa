import { UpstreamError } from '../errors/index.js';

/**
 * The checks every page passes before it is written, and the error a failed one raises. A
 * failure names what was sent and shows a short excerpt of what came back: ids and sort keys,
 * never whole records (they may hold personal data) and never a header (secrets).
 */
export type SortField = 'date_modified' | 'date_created';

/** The JSON body of a search request. Paging lives here, never in the query string. */
export interface SearchBody {
  page_number: number;
  page_size: number;
  sort_by?: string;
  sort_direction?: 'asc' | 'desc';
  minimum_modified_date?: number;
  maximum_modified_date?: number;
  minimum_created_date?: number;
  maximum_created_date?: number;
  ids?: number[];
}

/** A page check that tripped: the run fails with it, nothing is marked deleted, the resource is probed again. */
export class PageCheckError extends UpstreamError {
  override name = 'PageCheckError';
  constructor(
    readonly check: 'sort' | 'filter' | 'shape' | 'tie' | 'cap' | 'ids' | 'unstable',
    message: string,
  ) {
    super(message, 200, false, 'body');
  }
}

/** The sort key of a record: a finite number, or null when the field is null, missing or not a number. */
export function keyOf(record: unknown, field: string): number | null {
  const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The id of a record as the mirror keys it (a string), or null. */
export function idOf(record: unknown): string | null {
  const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>).id : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return null;
}

/** What was sent, for an error message (the body holds no secret). */
export function describeRequest(path: string, body: SearchBody): string {
  const shown = { ...body, ids: body.ids ? `[${body.ids.length} ids]` : undefined };
  return `POST ${path} ${JSON.stringify(shown)}`;
}

/** A short excerpt of a page: up to 6 (id, key) pairs around `at`, never whole records. */
export function excerpt(records: readonly unknown[], field: string, at = 0): string {
  const from = Math.max(0, at - 2);
  const shown = records.slice(from, from + 6).map((record) => `${idOf(record) ?? '?'}:${keyOf(record, field) ?? 'null'}`);
  return `${records.length} records; id:${field} from #${from + 1}: ${shown.join(', ')}${records.length > from + 6 ? ', ...' : ''}`;
}

/**
 * Records look like records: objects, and at least one with an id. (A few without a usable id
 * go to `sync_rejects`; a page of none means the selector found some other array.)
 */
export function checkShape(records: readonly unknown[], request: string): void {
  if (records.length === 0) return;
  const bad = records.findIndex((record) => record === null || typeof record !== 'object' || Array.isArray(record));
  if (bad >= 0) {
    throw new PageCheckError('shape', `${request} answered with item #${bad + 1} of ${records.length} that is not a record object (${typeof records[bad]}): check UPSTREAM_DATA_SELECTOR`);
  }
  if (!records.some((record) => 'id' in (record as object))) {
    throw new PageCheckError('shape', `${request} answered with ${records.length} objects none of which has an id: check UPSTREAM_DATA_SELECTOR`);
  }
}

/**
 * The page is in the requested order: ascending with null keys first, or descending with them
 * last. `previous` is the last key of the page before in the same sequence, if any.
 * Out of order means the API ignored the sort.
 */
export function checkOrder(records: readonly unknown[], field: SortField, direction: 'asc' | 'desc', request: string, previous?: number | null): void {
  const rank = (key: number | null) => (key === null ? -Infinity : key) * (direction === 'asc' ? 1 : -1);
  let last = previous === undefined ? -Infinity : rank(previous);
  if (direction === 'desc' && previous === null) last = -Infinity;
  for (let i = 0; i < records.length; i++) {
    const key = keyOf(records[i], field);
    const r = direction === 'desc' && key === null ? Infinity : rank(key);
    if (r < last) {
      throw new PageCheckError(
        'sort',
        `${request} came back out of ${field} ${direction} order at record #${i + 1} (${excerpt(records, field, i)}): the API ignored the sort`,
      );
    }
    last = r;
  }
}

/** Every record with a key lies inside the inclusive bounds sent; one outside means the API ignored the filter. */
export function checkBounds(records: readonly unknown[], field: SortField, min: number | undefined, max: number | undefined, request: string): void {
  for (let i = 0; i < records.length; i++) {
    const key = keyOf(records[i], field);
    if (key === null) continue;
    if ((min !== undefined && key < min) || (max !== undefined && key > max)) {
      throw new PageCheckError(
        'filter',
        `${request} returned a record with ${field} ${key} outside [${min ?? '-'}, ${max ?? '-'}] (${excerpt(records, field, i)}): the API ignored the filter`,
      );
    }
  }
}

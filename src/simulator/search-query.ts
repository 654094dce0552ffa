import { sortFieldsOf, type ResourceName } from './resources.js';

/** A validated search body. Paging lives here only: the query string is never read. */
export interface SearchQuery {
  page_number: number;
  page_size: number;
  sort_by: string;
  sort_direction: 'asc' | 'desc';
  /** Inclusive lower bound on `date_modified` (epoch seconds); undefined means no bound. */
  minimum_modified_date?: number;
}

/** A search the API refuses with 400; the message is safe to send back. */
export class BadSearchError extends Error {
  readonly status = 400;
}

export const MAX_PAGE_SIZE = 200;
/** Copper's defaults when the body leaves them out. */
const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_SORT = 'date_modified';

/** Validates a parsed JSON body; throws BadSearchError naming the first bad field. */
export function parseSearchQuery(body: unknown, resource: ResourceName): SearchQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadSearchError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const query: SearchQuery = {
    page_number: integerField(input, 'page_number', 1, 1, Number.MAX_SAFE_INTEGER),
    page_size: integerField(input, 'page_size', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    sort_by: DEFAULT_SORT,
    sort_direction: 'asc',
  };
  if (input.sort_by !== undefined && input.sort_by !== null) {
    if (typeof input.sort_by !== 'string' || !sortFieldsOf(resource).includes(input.sort_by)) {
      throw new BadSearchError(`sort_by must be one of ${sortFieldsOf(resource).join(', ')}`);
    }
    query.sort_by = input.sort_by;
  }
  if (input.sort_direction !== undefined && input.sort_direction !== null) {
    if (input.sort_direction !== 'asc' && input.sort_direction !== 'desc') throw new BadSearchError('sort_direction must be asc or desc');
    query.sort_direction = input.sort_direction;
  }
  const minimum = input.minimum_modified_date;
  if (minimum !== undefined && minimum !== null) {
    if (typeof minimum !== 'number' || !Number.isFinite(minimum)) throw new BadSearchError('minimum_modified_date must be epoch seconds');
    query.minimum_modified_date = minimum;
  }
  return query;
}

function integerField(input: Record<string, unknown>, field: string, fallback: number, min: number, max: number): number {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadSearchError(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

import { sortFieldsOf, type ResourceName } from './resources.js';

/** A validated search body. Paging lives here only: the query string is never read. */
export interface SearchQuery {
  page_number: number;
  page_size: number;
  /** Undefined when the body does not say: the resource's behaviour decides the order then. */
  sort_by?: string;
  sort_direction: 'asc' | 'desc';
  /** Inclusive bounds (epoch seconds) on `date_modified` and `date_created`; undefined means no bound. */
  minimum_modified_date?: number;
  maximum_modified_date?: number;
  minimum_created_date?: number;
  maximum_created_date?: number;
  /** Record ids to restrict the search to (at most MAX_IDS); undefined means no restriction. */
  ids?: number[];
}

/** A search the API refuses with 400; the message is safe to send back. */
export class BadSearchError extends Error {
  readonly status = 400;
}

export const MAX_PAGE_SIZE = 200;
export const MAX_IDS = 200;
/** Copper's default when the body leaves it out. */
const DEFAULT_PAGE_SIZE = 20;
const DATE_BOUNDS = ['minimum_modified_date', 'maximum_modified_date', 'minimum_created_date', 'maximum_created_date'] as const;

/**
 * Validates a parsed JSON body; throws BadSearchError naming the first bad field. Validation is
 * the same whatever the resource's behaviour: an ignored filter is still checked.
 */
export function parseSearchQuery(body: unknown, resource: ResourceName): SearchQuery {
  const input = objectBody(body);
  const query: SearchQuery = {
    ...parsePaging(input),
    sort_direction: 'asc',
  };
  if (present(input.sort_by)) {
    if (typeof input.sort_by !== 'string' || !sortFieldsOf(resource).includes(input.sort_by)) {
      throw new BadSearchError(`sort_by must be one of ${sortFieldsOf(resource).join(', ')}`);
    }
    query.sort_by = input.sort_by;
  }
  if (present(input.sort_direction)) {
    if (input.sort_direction !== 'asc' && input.sort_direction !== 'desc') throw new BadSearchError('sort_direction must be asc or desc');
    query.sort_direction = input.sort_direction;
  }
  for (const field of DATE_BOUNDS) {
    const value = input[field];
    if (!present(value)) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadSearchError(`${field} must be epoch seconds`);
    query[field] = value;
  }
  if (present(input.ids)) query.ids = idsField(input.ids);
  return query;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function idsField(value: unknown): number[] {
  if (!Array.isArray(value)) throw new BadSearchError('ids must be an array of record ids');
  if (value.length > MAX_IDS) throw new BadSearchError(`ids takes at most ${MAX_IDS} record ids, got ${value.length}`);
  for (const id of value) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new BadSearchError(`ids must hold integer record ids, got ${JSON.stringify(id)}`);
  }
  return value as number[];
}

/** `page_number` and `page_size` of a paged request (a search, or the users list); throws BadSearchError. */
export function parsePaging(body: unknown): Pick<SearchQuery, 'page_number' | 'page_size'> {
  const input = objectBody(body);
  return {
    page_number: integerField(input, 'page_number', 1, 1, Number.MAX_SAFE_INTEGER),
    page_size: integerField(input, 'page_size', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadSearchError('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function integerField(input: Record<string, unknown>, field: string, fallback: number, min: number, max: number): number {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadSearchError(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

import type { CrmRecord } from '../../entities/index.js';
import type { Connection } from '../types/connection.type.js';
import { encodeCursor } from './cursor.js';
import type { PageRequest } from './page-request.js';

/**
 * A Relay connection from the rows of one page, read in request order with one row beyond
 * the limit when there is more. `totalCount` runs its query only when the field is resolved.
 */
export function toConnection(request: PageRequest, fetched: readonly CrmRecord[], count: () => Promise<number>): Connection<CrmRecord> {
  const more = fetched.length > request.limit;
  const page = fetched.slice(0, request.limit);
  if (request.backward) page.reverse();
  const edges = page.map((node) => ({ cursor: encodeCursor(request.keys, node), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: request.backward ? request.before !== null : more,
      hasPreviousPage: request.backward ? more : request.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      return (total ??= count());
    },
  };
}

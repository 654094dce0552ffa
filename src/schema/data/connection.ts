import type { MirroredRecord } from '../../entities/index.js';
import type { Connection, Edge, PageInfo } from '../types/connection.type.js';
import { encodeCursor } from './cursor.js';
import type { PageRequest } from './page-request.js';

/**
 * A Relay connection from the rows of one page, read in request order with one row beyond
 * the limit when there is more. Edges, cursors and `totalCount` are built only when their
 * field is resolved: a nested query asks for the `nodes` of a thousand connections, and
 * building cursors nobody reads was a measurable share of its time. A class rather than an
 * object of closures for the same reason: one small object per connection.
 */
class PageConnection implements Connection<MirroredRecord> {
  readonly nodes: MirroredRecord[];
  private readonly more: boolean;
  private edgeList?: Edge<MirroredRecord>[];
  private info?: PageInfo;
  private total?: Promise<number>;

  constructor(
    private readonly request: PageRequest,
    fetched: readonly MirroredRecord[],
    private readonly count: () => Promise<number>,
  ) {
    ({ rows: this.nodes, more: this.more } = pageOf(request, fetched));
  }

  get edges(): Edge<MirroredRecord>[] {
    return (this.edgeList ??= this.nodes.map((node) => ({ cursor: encodeCursor(this.request.keys, node), node })));
  }

  get pageInfo(): PageInfo {
    const { request, nodes, more } = this;
    return (this.info ??= {
      ...pageFlags(request, more),
      startCursor: nodes.length > 0 ? encodeCursor(request.keys, nodes[0]) : null,
      endCursor: nodes.length > 0 ? encodeCursor(request.keys, nodes[nodes.length - 1]) : null,
    });
  }

  get totalCount(): Promise<number> {
    return (this.total ??= this.count());
  }
}

/**
 * The page within rows read in request order with one beyond the limit when there is more;
 * backward pages are read in reverse and flipped. Never changes `fetched` (a loader hands the
 * same array to every field that asks for it). Both the loaders and the compiled SQL path page so.
 */
export function pageOf<T>(request: PageRequest, fetched: readonly T[]): { rows: T[]; more: boolean } {
  const more = fetched.length > request.limit;
  if (request.backward) return { rows: fetched.slice(0, request.limit).reverse(), more };
  return { rows: more ? fetched.slice(0, request.limit) : (fetched as T[]), more };
}

export function pageFlags(request: PageRequest, more: boolean): Pick<PageInfo, 'hasNextPage' | 'hasPreviousPage'> {
  return {
    hasNextPage: request.backward ? request.before !== null : more,
    hasPreviousPage: request.backward ? more : request.after !== null,
  };
}

export function toConnection(request: PageRequest, fetched: readonly MirroredRecord[], count: () => Promise<number>): Connection<MirroredRecord> {
  return new PageConnection(request, fetched, count);
}

import type { ChangeLogReader } from '../../changes/change-log.reader.js';
import type { ChangeLogEntry } from '../../entities/index.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../../resources/resource-table.js';
import type { ChangePageType, ChangeType } from '../types/change.type.js';
import { parseChangeCursor, withCursorErrorsAsInput } from './change-cursor.js';

export interface ChangePageRequest {
  after: string | null | undefined;
  /** The resources the caller may read and asked for. */
  resources: readonly RecordResourceName[];
  first: number;
}

const changeOf = (row: ChangeLogEntry): ChangeType => ({
  cursor: row.sequence,
  resource: row.resource as RecordResourceName,
  id: row.recordId,
  kind: row.kind,
  source: row.source,
  committedAt: row.committedAt,
});

/**
 * One page of `changes`: after the cursor, or from the oldest change kept. One row more than
 * the page tells whether another page follows. An empty page's endCursor is the cursor given,
 * or, without one, the head read before the page (a change committed meanwhile comes after it).
 */
export async function readChangePage(log: ChangeLogReader, request: ChangePageRequest): Promise<ChangePageType> {
  const after = request.after === null || request.after === undefined ? null : parseChangeCursor(request.after);
  const query = { resources: request.resources.length === RECORD_RESOURCE_NAMES.length ? undefined : request.resources, limit: request.first + 1 };
  const head = after === null ? await log.head() : null;
  const rows = await withCursorErrorsAsInput(() => (after === null ? log.fromOldest(query) : log.after(after, query)));
  const nodes = rows.slice(0, request.first).map(changeOf);
  return { nodes, endCursor: nodes.at(-1)?.cursor ?? String(after ?? head), hasNextPage: rows.length > request.first };
}

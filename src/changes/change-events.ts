import type { ChangeKind, ChangeLogEntry, ChangeSource } from '../entities/index.js';

/** What a `recordsChanged` subscriber receives: consecutive changes that share everything but the id. */
export interface ChangeEvent {
  /** The sequence of the event's last change: resuming after it misses nothing of the event or before. */
  cursor: string;
  resource: string;
  kind: ChangeKind;
  source: ChangeSource;
  committedAt: Date;
  ids: string[];
}

/** Ids per event at most: a page of a sync (200 rows) fits in one. */
export const MAX_IDS_PER_EVENT = 250;

const sameGroup = (event: ChangeEvent, row: ChangeLogEntry): boolean =>
  event.resource === row.resource && event.kind === row.kind && event.source === row.source && event.committedAt.getTime() === row.committedAt.getTime() && event.ids.length < MAX_IDS_PER_EVENT;

/** The rows (in sequence order) as events: a run of rows with the same resource, kind, source and commit time is one event. */
export function groupChanges(rows: readonly ChangeLogEntry[]): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const row of rows) {
    const last = events.at(-1);
    if (last && sameGroup(last, row)) {
      last.ids.push(row.recordId);
      last.cursor = row.sequence;
    } else {
      events.push({ cursor: row.sequence, resource: row.resource, kind: row.kind, source: row.source, committedAt: row.committedAt, ids: [row.recordId] });
    }
  }
  return events;
}

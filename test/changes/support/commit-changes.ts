import type { DataSource } from 'typeorm';
import { appendChanges, type RecordChange } from '../../../src/changes/change-log.writer.js';
import type { ChangeKind, ChangeSource } from '../../../src/entities/index.js';
import { Person } from '../../../src/entities/index.js';
import { PageWriter } from '../../../src/sync/page-writer.js';
import { createRecordMapper, type MirrorRow } from '../../../src/sync/record-mapper.js';
import { RunLog } from '../../../src/sync/run-log.js';
import { SyncStateStore } from '../../../src/sync/sync-state.store.js';
import { serialWrite } from '../../../src/sync/write-gate.js';

/** Commits changes to the log as a writer does: appended last in a transaction of their own. */
export async function commitChanges(dataSource: DataSource, changes: readonly RecordChange[], source: ChangeSource = 'sync', at = new Date()): Promise<void> {
  await serialWrite(dataSource, () => dataSource.transaction((manager) => appendChanges(manager, changes, source, at)));
}

export const changesOf = (resource: string, ids: readonly (string | number)[], kind: ChangeKind = 'UPSERTED'): RecordChange[] => ids.map((id) => ({ resource, recordId: String(id), kind }));

let modified = 1_900_000_000;

/** Upserts people through the sync's real page writer (which appends their changes), each newer than the last. */
export async function writePeople(dataSource: DataSource, ids: readonly (string | number)[], source: ChangeSource = 'sync'): Promise<void> {
  const mapper = createRecordMapper(Person, { closeDateFormat: 'MDY' });
  modified += 1;
  const rows = ids.map((id) => {
    const mapped = mapper({ id: Number(id), name: `Person ${id}`, date_modified: modified });
    if (!mapped.ok) throw new Error(mapped.reason);
    return mapped.row;
  }) satisfies MirrorRow[];
  await new PageWriter(dataSource, 'people', Person, new SyncStateStore(dataSource), new RunLog(dataSource)).write({ rows, rejects: [], syncedAt: new Date(), source });
}

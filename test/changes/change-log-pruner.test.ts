import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChangeLogPruner } from '../../src/changes/change-log-pruner.js';
import { ChangeLogReader } from '../../src/changes/change-log.reader.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { changesOf, commitChanges } from './support/commit-changes.js';

const HOUR = 3_600_000;

describe.each(DIALECTS)('the change log pruner on %s', (dialect) => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openDatabase(db.config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('deletes, on its timer, the changes older than the retention and keeps the rest, then stops', async () => {
    const now = new Date('2026-06-10T12:00:00Z');
    await commitChanges(ds, changesOf('people', ['1', '2']), 'sync', new Date(now.getTime() - 170 * HOUR));
    await commitChanges(ds, changesOf('people', ['3']), 'sync', new Date(now.getTime() - 167 * HOUR));
    const reader = new ChangeLogReader(ds);
    let prunes = 0;
    const counting = Object.assign(Object.create(reader) as ChangeLogReader, { prune: (before: Date) => (prunes++, reader.prune(before)) });
    const pruner = startChangeLogPruner(counting, { retentionHours: 168, intervalMs: 20, now: () => now, logger: createLogger('silent') });
    const deadline = Date.now() + 5_000;
    while (prunes < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await pruner.stop();
    const stoppedAt = prunes;
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect((await reader.fromOldest({ limit: 10 })).map((row) => row.recordId)).toEqual(['3']);
    await new Promise((r) => setTimeout(r, 60));
    expect(prunes).toBe(stoppedAt);
  });
});

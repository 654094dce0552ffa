import { afterEach, describe, expect, it } from 'vitest';
import { appendChanges } from '../../src/changes/change-log.writer.js';
import { ChangeCursorError, ChangeLogReader } from '../../src/changes/change-log.reader.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { ChangeLogEntry, Person, type CrmRecord } from '../../src/entities/index.js';
import { PageWriter } from '../../src/sync/page-writer.js';
import { markDeletedIn } from '../../src/sync/record-deletion.js';
import { createRecordMapper, type MirrorRow } from '../../src/sync/record-mapper.js';
import { RunLog } from '../../src/sync/run-log.js';
import { SyncStateStore } from '../../src/sync/sync-state.store.js';
import { serialWrite } from '../../src/sync/write-gate.js';
import { createTestDatabase, DIALECTS, type Dialect } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(dialect: Dialect): Promise<MirrorDataSource> {
  const db = await createTestDatabase(dialect);
  const ds = await openDatabase(db.config);
  cleanups.push(async () => {
    await ds.destroy();
    await db.drop();
  });
  return ds;
}

const mapper = createRecordMapper(Person, { closeDateFormat: 'ISO' });
const person = (id: number, modified: number, name = `person ${id}`): MirrorRow => {
  const mapped = mapper({ id, name, date_modified: modified, date_created: 1 });
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.row;
};
const writerFor = (ds: MirrorDataSource) => new PageWriter(ds, 'people', Person as new () => CrmRecord, new SyncStateStore(ds), new RunLog(ds));
const page = (rows: MirrorRow[]) => ({ rows, rejects: [], syncedAt: new Date(Math.floor(Date.now() / 1_000) * 1_000), source: 'sync' as const });
const logged = async (ds: MirrorDataSource) => (await ds.getRepository(ChangeLogEntry).find({ order: { sequence: 'ASC' } })).map((e) => [e.sequence, e.recordId, e.kind, e.source]);

describe.each(DIALECTS)('change log (%s)', (dialect) => {
  it('logs the rows a page changes, not the ones it re-reads, and never puts an older copy over a newer one', async () => {
    const ds = await database(dialect);
    const writer = writerFor(ds);
    await writer.write(page([person(1, 100), person(2, 100)]));
    await writer.write(page([person(1, 100), person(2, 100)]));
    await writer.write(page([person(1, 200, 'renamed')]));
    // A page fetched before the rename commits after it: the stored copy stays the newer one.
    await writer.write(page([person(1, 150, 'stale')]));
    expect(await logged(ds)).toEqual([
      ['1', '1', 'UPSERTED', 'sync'],
      ['2', '2', 'UPSERTED', 'sync'],
      ['3', '1', 'UPSERTED', 'sync'],
    ]);
    const stored = await ds.getRepository(Person).findOneByOrFail({ id: '1' });
    expect([stored.name, stored.dateModified?.getTime()]).toEqual(['renamed', 200_000]);
    expect((stored.raw as { name: string }).name).toBe('renamed');
  });

  it('logs a deletion, and a record that comes back', async () => {
    const ds = await database(dialect);
    const writer = writerFor(ds);
    await writer.write(page([person(1, 100), person(2, 100)]));
    await serialWrite(ds, () =>
      ds.transaction(async (manager) => {
        const changes = await markDeletedIn(manager, Person as new () => CrmRecord, 'people', { ids: ['1', '3'] }, new Date());
        await appendChanges(manager, changes, 'webhook', new Date());
      }),
    );
    await writer.write(page([person(1, 100)]));
    expect((await logged(ds)).slice(2)).toEqual([
      ['3', '1', 'DELETED', 'webhook'],
      ['4', '1', 'UPSERTED', 'sync'],
    ]);
  });

  it('hands out gap-free sequences in commit order, so a reader polling meanwhile misses none', async () => {
    const ds = await database(dialect);
    const reader = new ChangeLogReader(ds);
    const writers = 6;
    const transactions = 8;
    let writing = true;
    const seen: string[] = [];
    const poll = (async () => {
      let cursor = 0n;
      while (writing || cursor < (await reader.head())) {
        for (const entry of await reader.after(cursor, { limit: 7 })) {
          seen.push(entry.sequence);
          cursor = BigInt(entry.sequence);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let t = 0; t < transactions; t++) {
          await serialWrite(ds, () =>
            ds.transaction(async (manager) => {
              const changes = [1, 2, 3].map((n) => ({ resource: 'people', recordId: String(w * 1_000 + t * 10 + n), kind: 'UPSERTED' as const }));
              await appendChanges(manager, changes, 'sync', new Date());
              // Commit late, at a random moment: an AUTO_INCREMENT would let a later sequence commit first.
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
            }),
          );
        }
      }),
    );
    writing = false;
    await poll;
    const total = writers * transactions * 3;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
  });

  it('prunes old changes, and a cursor into the pruned part (or past the head) is refused', async () => {
    const ds = await database(dialect);
    const reader = new ChangeLogReader(ds);
    const writer = writerFor(ds);
    await writer.write(page([person(1, 100), person(2, 100), person(3, 100)]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cutoff = new Date();
    await writer.write(page([person(4, 100)]));
    expect(await reader.prune(cutoff)).toBe(3);
    expect((await reader.after(3n, { limit: 10 })).map((e) => e.recordId)).toEqual(['4']);
    await expect(reader.after(0n, { limit: 10 })).rejects.toThrow(ChangeCursorError);
    await expect(reader.after(2n, { limit: 10 })).rejects.toThrow(/pruned/);
    await expect(reader.after(9n, { limit: 10 })).rejects.toThrow(/past the change log's last sequence 4/);
    expect(await reader.after(4n, { limit: 10 })).toEqual([]);
    expect(await reader.after(3n, { resources: ['companies'], limit: 10 })).toEqual([]);
  });
});

import type { DataSource, EntityManager } from 'typeorm';
import { appendChanges, type RecordChange } from '../changes/change-log.writer.js';
import { SyncReject, type ChangeSource, type CrmRecord } from '../entities/index.js';
import { storedSeconds } from './stored-datetime.js';
import type { MirrorRow } from './record-mapper.js';
import type { RunCounters, RunLog } from './run-log.js';
import type { StatePatch, SyncStateStore } from './sync-state.store.js';
import { UpsertStatement } from './upsert-statement.js';
import { retryOnDeadlock } from './deadlock-retry.js';
import { isSqlite, serialWrite } from './write-gate.js';

/**
 * Writes one page in one transaction: the rows (multi-row upserts, see upsert-statement.ts), the
 * rejects, the run's counters, the advanced checkpoint and the change log's entries for the rows
 * that changed. Either all of it is committed or none, so a crash loses nothing and a restart
 * resumes after the last committed page.
 */
export interface PageWrite {
  rows: readonly MirrorRow[];
  rejects: readonly { reason: string; payload: unknown }[];
  syncedAt: Date;
  /** What the change log records as the changes' source. */
  source: ChangeSource;
  /** The sync run the page belongs to: its counters including this page, given the rows it upserts, are saved with it. */
  run?: { id: number; counters: (upserted: number) => RunCounters };
  /** Checkpoint to commit with the page; none for re-check crawls. */
  state?: StatePatch;
}

/** Ids per lookup of the stored versions (far under both databases' placeholder limits). */
const IDS_PER_LOOKUP = 500;

/** Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32,766, MySQL's placeholder limit 65,535. */
const MAX_PARAMETERS = { sqlite: 32_766, mysql: 65_535 } as const;
/** Bytes per statement, well under MariaDB's default 16 MB max_allowed_packet (values are inlined into the SQL). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export class PageWriter {
  private readonly statement: UpsertStatement;
  private readonly rowsPerStatement: number;
  /** The stored `date_modified` and `deleted_at` of the ids that follow, in parentheses. */
  private readonly storedVersions: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly resource: string,
    private readonly entity: new () => CrmRecord,
    private readonly state: SyncStateStore,
    private readonly runs: RunLog,
  ) {
    this.statement = new UpsertStatement(dataSource, entity);
    const metadata = dataSource.getMetadata(entity);
    const column = (property: string) => dataSource.driver.escape(metadata.findColumnWithPropertyName(property)!.databaseName);
    this.storedVersions = `SELECT ${column('id')} AS id, ${column('dateModified')} AS modified, ${column('deletedAt')} AS deleted
      FROM ${dataSource.driver.escape(metadata.tableName)} WHERE ${column('id')} IN`;
    const limit = isSqlite(dataSource) ? MAX_PARAMETERS.sqlite : MAX_PARAMETERS.mysql;
    this.rowsPerStatement = Math.max(1, Math.floor(limit / this.statement.columnCount));
  }

  /** Commits the page; resolves with the number of rows upserted (after de-duplication). */
  async write(page: PageWrite): Promise<number> {
    let upserted = 0;
    await serialWrite(this.dataSource, () =>
      retryOnDeadlock(() => this.dataSource.transaction(async (manager) => {
        const { count, changes } = await this.upsertIn(manager, page.rows, page.syncedAt);
        upserted = count;
        await this.rejectIn(manager, page.rejects, page.syncedAt, page.run?.id ?? null);
        if (page.run) await this.runs.saveCounters(manager, page.run.id, page.run.counters(count));
        if (page.state) await this.state.update(this.resource, page.state, manager);
        await appendChanges(manager, changes, page.source, new Date());
      })),
    );
    return upserted;
  }

  /**
   * Upserts `rows` inside the caller's transaction and resolves with how many (after
   * de-duplication) and the changes to log: the rows that are new, live again, or newer than the
   * stored copy. Appending them is the caller's, last in its transaction (see change-log.writer.ts).
   */
  async upsertIn(manager: EntityManager, rows: readonly MirrorRow[], syncedAt: Date): Promise<{ count: number; changes: RecordChange[] }> {
    // In id order: transactions that share rows then lock them in the same order.
    const unique = dedupeById(rows).sort(byId);
    const changes = await this.changedAmong(manager, unique);
    const stamps = { syncedAt, deletedAt: null };
    const prepared = unique.map((row) => this.statement.prepare(row, stamps));
    // deleted_at and synced_at are among the updated columns: a record that reappears is live again.
    for (const chunk of this.chunks(prepared)) await manager.query(...this.statement.build(chunk));
    return { count: prepared.length, changes };
  }

  /**
   * Which rows change the stored copy, by the stored `date_modified` and `deleted_at` (read in
   * the same transaction). A row equal in `date_modified` is not a change: upstream moves it on
   * every change it notifies about, and re-reading a record (a lookback window, a full crawl)
   * must not be reported as one.
   */
  private async changedAmong(manager: EntityManager, rows: readonly MirrorRow[]): Promise<RecordChange[]> {
    const stored = new Map<string, { modified: number | null; deleted: boolean }>();
    for (let i = 0; i < rows.length; i += IDS_PER_LOOKUP) {
      const ids = rows.slice(i, i + IDS_PER_LOOKUP).map((row) => row.id);
      const found = (await manager.query(`${this.storedVersions} (${ids.map(() => '?').join(', ')})`, ids)) as { id: string | number; modified: unknown; deleted: unknown }[];
      for (const row of found) stored.set(String(row.id), { modified: storedSeconds(row.modified), deleted: row.deleted !== null });
    }
    const changes: RecordChange[] = [];
    for (const row of rows) {
      const before = stored.get(row.id);
      const incoming = seconds(row.dateModified);
      const changed = !before || before.deleted || incoming === null || before.modified === null || incoming > before.modified;
      if (changed) changes.push({ resource: this.resource, recordId: row.id, kind: 'UPSERTED' });
    }
    return changes;
  }

  /** Keeps records that could not be mapped (with the reason) inside the caller's transaction. */
  async rejectIn(manager: EntityManager, rejects: PageWrite['rejects'], receivedAt: Date, runId: number | null): Promise<void> {
    if (rejects.length === 0) return;
    const rows = rejects.map((reject) => ({
      resource: this.resource,
      runId,
      reason: reject.reason.slice(0, 255),
      payload: JSON.stringify(reject.payload) ?? 'null',
      receivedAt,
    }));
    await manager.createQueryBuilder().insert().into(SyncReject).values(rows).updateEntity(false).execute();
  }

  /** Splits prepared rows by the parameter limit and by size (a page may hold a few 70 KB records). */
  private *chunks(rows: unknown[][]): Generator<unknown[][]> {
    let chunk: unknown[][] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = row.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length : 8), 0);
      if (chunk.length > 0 && (chunk.length >= this.rowsPerStatement || bytes + size > MAX_STATEMENT_BYTES)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }
}

/** Ids are decimal digit strings: shorter is smaller, and equal lengths compare as text. */
const byId = (a: { id: string }, b: { id: string }): number => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whole seconds of a DATETIME value (the database keeps no more), or null. */
function seconds(value: unknown): number | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? Math.floor(value.getTime() / 1_000) : null;
}

/** The last occurrence of each id wins, as if the page's records were applied in order. */
export function dedupeById<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) {
    byId.delete(row.id);
    byId.set(row.id, row);
  }
  return [...byId.values()];
}

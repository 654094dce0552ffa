import type { DataSource, EntityManager } from 'typeorm';
import { SyncReject } from '../entities/index.js';
import type { MirrorRow } from './record-mapper.js';
import type { RunCounters, RunLog } from './run-log.js';
import type { StatePatch, SyncStateStore } from './sync-state.store.js';
import { UpsertStatement } from './upsert-statement.js';
import { isSqlite, serialWrite } from './write-gate.js';

/**
 * Writes one page in one transaction: the rows (multi-row upserts, see upsert-statement.ts), the rejects, the run's
 * counters and the advanced checkpoint. Either all of it is committed or none, so a crash loses
 * nothing and a restart resumes after the last committed page.
 */
export interface PageWrite {
  rows: readonly MirrorRow[];
  rejects: readonly { reason: string; payload: unknown }[];
  runId: number;
  syncedAt: Date;
  /** Checkpoint to commit with the page; none for re-check crawls. */
  state?: StatePatch;
  /** The run's counters including this page, given the rows it upserts (saved in the same transaction). */
  counters: (upserted: number) => RunCounters;
}

/** Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32,766, MySQL's placeholder limit 65,535. */
const MAX_PARAMETERS = { sqlite: 32_766, mysql: 65_535 } as const;
/** Bytes per statement, well under MariaDB's default 16 MB max_allowed_packet (values are inlined into the SQL). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export class PageWriter {
  private readonly statement: UpsertStatement;
  private readonly rowsPerStatement: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly resource: string,
    private readonly entity: new () => object,
    private readonly state: SyncStateStore,
    private readonly runs: RunLog,
  ) {
    this.statement = new UpsertStatement(dataSource, entity);
    const limit = isSqlite(dataSource) ? MAX_PARAMETERS.sqlite : MAX_PARAMETERS.mysql;
    this.rowsPerStatement = Math.max(1, Math.floor(limit / this.statement.columnCount));
  }

  /** Commits the page; resolves with the number of rows upserted (after de-duplication). */
  async write(page: PageWrite): Promise<number> {
    const stamps = { syncedAt: page.syncedAt, deletedAt: null };
    const rows = dedupeById(page.rows).map((row) => this.statement.prepare(row, stamps));
    await serialWrite(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        // deleted_at and synced_at are among the updated columns: a record that reappears is live again.
        for (const chunk of this.chunks(rows)) await manager.query(...this.statement.build(chunk));
        if (page.rejects.length > 0) await this.insertRejects(manager, page);
        await this.runs.saveCounters(manager, page.runId, page.counters(rows.length));
        if (page.state) await this.state.update(this.resource, page.state, manager);
      }),
    );
    return rows.length;
  }

  private async insertRejects(manager: EntityManager, page: PageWrite): Promise<void> {
    const rows = page.rejects.map((reject) => ({
      resource: this.resource,
      runId: page.runId,
      reason: reject.reason.slice(0, 255),
      payload: JSON.stringify(reject.payload) ?? 'null',
      receivedAt: page.syncedAt,
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

/** The last occurrence of each id wins, as if the page's records were applied in order. */
export function dedupeById<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) {
    byId.delete(row.id);
    byId.set(row.id, row);
  }
  return [...byId.values()];
}

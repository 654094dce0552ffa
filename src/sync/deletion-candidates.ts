import { In, IsNull, LessThan, type DataSource, type Repository } from 'typeorm';
import { appendChanges } from '../changes/change-log.writer.js';
import type { CrmRecord } from '../entities/index.js';
import { retryOnDeadlock } from './deadlock-retry.js';
import { markDeletedIn } from './record-deletion.js';
import { storedSeconds } from './stored-datetime.js';
import { cursorValue } from './paginators.js';
import { serialWrite } from './write-gate.js';

/**
 * The queries of a full reconcile. A row is a deletion candidate when it is live and was not
 * written since the full crawl started (`synced_at < fullStartedAt`): the crawl did not see it.
 */
/** Rows marked deleted per transaction: a mass deletion does not hold its locks for long. */
const DELETIONS_PER_TRANSACTION = 1_000;

export interface Candidate {
  id: string;
  /** The cursor value upstream sorted it by when it was last seen (epoch seconds). */
  cursor: number;
}

export class DeletionCandidates {
  private readonly repository: Repository<CrmRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: new () => CrmRecord,
    private readonly resource: string,
    private readonly cursorField: string,
  ) {
    this.repository = dataSource.getRepository(entity);
  }

  async list(crawlStart: Date): Promise<Candidate[]> {
    const rows = await this.repository.find({
      select: { id: true, dateModified: true },
      where: { syncedAt: LessThan(crawlStart), deletedAt: IsNull() },
    });
    const candidates: Candidate[] = [];
    const untyped: string[] = [];
    for (const row of rows) {
      if (row.dateModified) candidates.push({ id: row.id, cursor: row.dateModified.getTime() / 1_000 });
      else untyped.push(row.id);
    }
    // No typed date_modified: the raw value (null, text, out of range) says where upstream sorts it.
    for (let i = 0; i < untyped.length; i += 500) {
      const raws = await this.repository.find({ select: { id: true, raw: true }, where: { id: In(untyped.slice(i, i + 500)) } });
      for (const row of raws) candidates.push({ id: row.id, cursor: cursorValue(row.raw, this.cursorField) });
    }
    return candidates;
  }

  /**
   * Marks every remaining candidate deleted, a batch per transaction with its change log
   * entries; resolves with how many were.
   */
  async markDeleted(crawlStart: Date, now: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await serialWrite(this.dataSource, () =>
        retryOnDeadlock(() => this.dataSource.transaction(async (manager) => {
          const changes = await markDeletedIn(manager, this.entity, this.resource, { also: { syncedAt: LessThan(crawlStart) }, limit: DELETIONS_PER_TRANSACTION }, now);
          await appendChanges(manager, changes, 'reconcile', new Date());
          return changes.length;
        })),
      );
      deleted += batch;
      if (batch < DELETIONS_PER_TRANSACTION) return deleted;
    }
  }

  /**
   * Timestamps shared by at least `size` live rows: the tie groups a keyset crawl pages through
   * by offset. Used when a resumed crawl's own record of them was lost with its process.
   */
  async largeTimestampGroups(size: number): Promise<number[]> {
    const rows = await this.repository
      .createQueryBuilder('record')
      .select('record.dateModified', 'modified')
      .where('record.deletedAt IS NULL')
      .andWhere('record.dateModified IS NOT NULL')
      .groupBy('record.dateModified')
      .having('COUNT(*) >= :size', { size })
      .getRawMany<{ modified: Date | string }>();
    return rows.map((row) => storedSeconds(row.modified)!);
  }
}

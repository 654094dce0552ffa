import { In, LessThan, MoreThan, type DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { ChangeLogEntry, ChangeLogHead } from '../entities/index.js';
import { serialWrite } from '../sync/write-gate.js';

/**
 * Reads the change log in sequence order, for the `changes` query and the subscription feed,
 * and prunes it. A cursor is the last sequence a reader has seen, as decimal text.
 */
export class ChangeCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeCursorError';
  }
}

export interface ChangeQuery {
  /** Only these resources (all when omitted). */
  resources?: readonly string[];
  limit: number;
}

/** Rows deleted per statement when pruning, so a large prune never holds a long lock. */
const PRUNE_BATCH = 5_000;

export class ChangeLogReader {
  private readonly entries: Repository<ChangeLogEntry>;

  constructor(private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(ChangeLogEntry);
  }

  /** The last sequence committed (0 for an empty log): the cursor of "from now on". */
  async head(): Promise<bigint> {
    return this.read(() => this.headNow());
  }

  /** The head, read at once: inside a turn already taken. */
  private async headNow(): Promise<bigint> {
    const row = await this.dataSource.getRepository(ChangeLogHead).findOneBy({ id: 1 });
    return row ? BigInt(row.lastSequence) : 0n;
  }

  /**
   * On SQLite, TypeORM runs every statement on one shared connection: a read between a writer's
   * statements would see its transaction half done (the head raised, its rows not yet there),
   * and the feed would take a commit in progress for a pruned cursor, or deliver a change that
   * then rolls back. So reads of the log wait their turn behind the writes (write-gate.ts);
   * MySQL's pool needs no such turn.
   */
  private read<T>(work: () => Promise<T>): Promise<T> {
    return serialWrite(this.dataSource, work);
  }

  /**
   * The changes after `after`, oldest first, at most `limit`. Fails with ChangeCursorError when
   * changes after the cursor have been pruned (the reader must start over from a full read) or
   * the cursor is past the head (it came from another database).
   */
  async after(after: bigint, query: ChangeQuery): Promise<ChangeLogEntry[]> {
    const where: FindOptionsWhere<ChangeLogEntry> = { sequence: MoreThan(after.toString()) };
    if (query.resources) where.resource = In([...query.resources]);
    return this.read(async () => {
      const rows = await this.entries.find({ where, order: { sequence: 'ASC' }, take: query.limit });
      await this.checkCursor(after, rows);
      return rows;
    });
  }

  /** The oldest changes kept, oldest first, at most `limit`: where a reader without a cursor starts. */
  async fromOldest(query: ChangeQuery): Promise<ChangeLogEntry[]> {
    const where: FindOptionsWhere<ChangeLogEntry> = {};
    if (query.resources) where.resource = In([...query.resources]);
    return this.read(() => this.entries.find({ where, order: { sequence: 'ASC' }, take: query.limit }));
  }

  /** Deletes changes committed before `before`; resolves with how many. */
  async prune(before: Date): Promise<number> {
    const newest = await this.entries.findOne({ select: { sequence: true }, where: { committedAt: LessThan(before) }, order: { sequence: 'DESC' } });
    if (!newest) return 0;
    const oldest = await this.entries.findOne({ select: { sequence: true }, where: {}, order: { sequence: 'ASC' } });
    const last = BigInt(newest.sequence);
    let deleted = 0;
    // Sequences are gap-free, so a range of PRUNE_BATCH sequences is PRUNE_BATCH rows.
    for (let from = BigInt(oldest?.sequence ?? newest.sequence); from <= last; ) {
      const to = from + BigInt(PRUNE_BATCH) - 1n < last ? from + BigInt(PRUNE_BATCH) - 1n : last;
      const result = await serialWrite(this.dataSource, () => this.entries.createQueryBuilder().delete().where('sequence BETWEEN :from AND :to', { from: from.toString(), to: to.toString() }).execute());
      deleted += result.affected ?? 0;
      from = to + 1n;
    }
    return deleted;
  }

  private async checkCursor(after: bigint, rows: readonly ChangeLogEntry[]): Promise<void> {
    const next = (after + 1n).toString();
    if (rows[0]?.sequence === next) return;
    const head = await this.headNow();
    if (after > head) throw new ChangeCursorError(`cursor ${after} is past the change log's last sequence ${head}: expected a cursor from this mirror's changes or recordsChanged`);
    if (after === head) return;
    const exists = await this.entries.existsBy({ sequence: next });
    if (!exists) throw new ChangeCursorError(`the changes after cursor ${after} have been pruned (CHANGE_LOG_RETENTION_HOURS): read the records again and continue from the cursor of a new changes query without "after"`);
  }
}

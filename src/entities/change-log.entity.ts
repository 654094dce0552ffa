import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { toIdString } from './mirror-column.js';

export type ChangeKind = 'UPSERTED' | 'DELETED';
/** What committed the change: a sync page, a full reconcile's deletions and revivals, an applied webhook. */
export type ChangeSource = 'sync' | 'reconcile' | 'webhook';

/**
 * One committed change of one mirrored record, appended in the transaction that made it. The
 * sequence is gap-free and in commit order (see changes/change-log.writer.ts), so a reader that
 * has seen everything up to N misses nothing by asking for what comes after N.
 */
@Entity({ name: 'change_log' })
export class ChangeLogEntry {
  @PrimaryColumn({ type: 'bigint', transformer: toIdString })
  sequence!: string;

  @Column({ type: 'varchar', length: 32 })
  resource!: string;

  @Column({ type: 'bigint', transformer: toIdString })
  recordId!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: ChangeKind;

  @Column({ type: 'varchar', length: 16 })
  source!: ChangeSource;

  /** Pruned by this (CHANGE_LOG_RETENTION_HOURS). */
  @Index()
  @Column({ type: 'datetime', precision: 3 })
  committedAt!: Date;
}

/**
 * The last sequence handed out: a single row (id 1). A writer increments it as the last statement
 * of its transaction, so the row lock orders commits: the writer that took sequences 11-20
 * commits before another can take 21.
 */
@Entity({ name: 'change_log_head' })
export class ChangeLogHead {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'bigint', transformer: toIdString })
  lastSequence!: string;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SyncRunMode = 'incremental' | 'full';
export type SyncRunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** One sync of one resource: the run history operators and `syncRuns` read. */
@Entity({ name: 'sync_runs' })
@Index(['resource', 'startedAt'])
export class SyncRun {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  resource!: string;

  @Column({ type: 'varchar', length: 16 })
  mode!: SyncRunMode;

  @Column({ type: 'varchar', length: 16 })
  status!: SyncRunStatus;

  @Column({ type: 'datetime' })
  startedAt!: Date;

  @Column({ type: 'datetime', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  pages!: number;

  @Column({ type: 'int', default: 0 })
  recordsUpserted!: number;

  @Column({ type: 'int', default: 0 })
  recordsDeleted!: number;

  @Column({ type: 'int', default: 0 })
  recordsRejected!: number;

  @Column({ type: 'int', default: 0 })
  requests!: number;

  @Column({ type: 'int', default: 0 })
  retries!: number;

  /** The crawl strategy the run used (see src/sync/strategies). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  strategy!: string | null;

  /** Deletion candidates an `ids` lookup confirmed gone (then marked deleted). */
  @Column({ type: 'int', default: 0 })
  candidatesConfirmed!: number;

  /** Deletion candidates found alive by the lookup or a re-check (upserted instead). */
  @Column({ type: 'int', default: 0 })
  candidatesAlive!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

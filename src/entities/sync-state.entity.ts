import { Column, Entity, PrimaryColumn } from 'typeorm';
import { toIdString } from './mirror-column.js';

/**
 * Where each resource's sync stands. The cursor advances in the same transaction as the page
 * it came from, so after a crash the next run resumes from the last committed page.
 */
@Entity({ name: 'sync_state' })
export class SyncState {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  resource!: string;

  /** Keyset cursor: the `minimum_modified_date` (epoch seconds) of the next window. */
  @Column({ type: 'bigint', nullable: true, transformer: toIdString })
  cursorModified!: string | null;

  /** Page within the window: above 1 only while a run of identical timestamps spans pages. */
  @Column({ type: 'int', default: 1 })
  cursorPage!: number;

  /** Start of the full reconcile in progress (rows synced before it and not since are gone). */
  @Column({ type: 'datetime', nullable: true })
  fullStartedAt!: Date | null;

  /** The keyset position a full reconcile in progress has reached, for resuming it. */
  @Column({ type: 'bigint', nullable: true, transformer: toIdString })
  fullCursorModified!: string | null;

  @Column({ type: 'int', nullable: true })
  fullCursorPage!: number | null;

  /** The strategy that wrote the full crawl's position: another strategy's position means nothing, so it starts over. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  fullStrategy!: string | null;

  /**
   * The newest `date_modified` upstream held when the full crawl started: where the incremental
   * cursor goes once the crawl completes, for strategies whose crawl is not ordered by it.
   */
  @Column({ type: 'bigint', nullable: true, transformer: toIdString })
  fullWatermark!: string | null;

  @Column({ type: 'datetime', nullable: true })
  lastIncrementalAt!: Date | null;

  @Column({ type: 'datetime', nullable: true })
  lastFullReconcileAt!: Date | null;

  @Column({ type: 'datetime' })
  updatedAt!: Date;
}

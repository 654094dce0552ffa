import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the last probe found a resource's search honours (see src/sync/probe.ts), kept so that a
 * restart does not probe again and so that `syncStatus`, `/metrics` and `mirrorgraph probe` can
 * show it. `stale` asks the next run to probe again (a page check tripped since).
 */
@Entity({ name: 'sync_probes' })
export class SyncProbe {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  resource!: string;

  /** JSON: capability name to true, false or null (the probe proved nothing about it). */
  @Column({ type: 'text' })
  findings!: string;

  /** JSON: capability name to a short note on what the probe saw. */
  @Column({ type: 'text' })
  notes!: string;

  @Column({ type: 'datetime' })
  probedAt!: Date;

  @Column({ type: 'boolean', default: false })
  stale!: boolean;

  /** Why a re-probe was asked for (the page check that tripped), if one was. */
  @Column({ type: 'text', nullable: true })
  staleReason!: string | null;

  /** Upstream requests the probe spent. */
  @Column({ type: 'int', default: 0 })
  requests!: number;
}

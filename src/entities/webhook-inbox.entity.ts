import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookEvent = 'new' | 'update' | 'delete';

/**
 * A notification received from the upstream and not yet applied. It is written before the
 * receiver answers 2xx and deleted in the transaction that applies it, so an acknowledged
 * notification survives a crash and is applied exactly once.
 */
@Entity({ name: 'webhook_inbox' })
@Index(['resource', 'id'])
export class WebhookInboxEntry {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  resource!: string;

  @Column({ type: 'varchar', length: 8 })
  event!: WebhookEvent;

  /** The notification's ids, as decimal strings (at most 30 upstream; bounded by the receiver). */
  @Column({ type: 'json' })
  ids!: string[];

  @Column({ type: 'varchar', length: 64 })
  subscriptionId!: string;

  @Column({ type: 'datetime', precision: 3 })
  receivedAt!: Date;

  /** Failed applies so far; the worker waits longer after each. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}

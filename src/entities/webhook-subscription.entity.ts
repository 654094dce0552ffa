import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookEvent } from './webhook-inbox.entity.js';

/**
 * A subscription `mirrorgraph webhooks subscribe` created upstream. Only a SHA-256 hash of its
 * generated secret is kept: the receiver hashes the secret a notification carries and compares.
 */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscription {
  /** The upstream's subscription id. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  resource!: string;

  @Column({ type: 'varchar', length: 8 })
  event!: WebhookEvent;

  @Column({ type: 'varchar', length: 2048 })
  target!: string;

  /** Hex SHA-256 of the secret. */
  @Column({ type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ type: 'datetime' })
  createdAt!: Date;
}

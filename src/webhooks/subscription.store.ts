import { randomBytes } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { hashApiKey, keyMatchesHash } from '../auth/api-key-format.js';
import { WebhookSubscription, type WebhookEvent } from '../entities/index.js';
import { serialWrite } from '../sync/write-gate.js';

/**
 * The upstream subscriptions this mirror created, with a hash of each one's generated secret.
 * The upstream sends the secret back as a top-level field of every notification
 * (`SECRET_FIELD`); the receiver finds the subscription by `subscription_id` and compares.
 */
export const SECRET_FIELD = 'mirrorgraph_secret';

export interface NewSubscription {
  id: string;
  resource: string;
  event: WebhookEvent;
  target: string;
}

/** 32 random bytes as base64url: unguessable, so a fast hash suffices (as for API keys). */
export const generateWebhookSecret = (): string => randomBytes(32).toString('base64url');

export class WebhookSubscriptionStore {
  private readonly repository: Repository<WebhookSubscription>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(WebhookSubscription);
  }

  async save(subscription: NewSubscription, secret: string, now: Date = new Date()): Promise<void> {
    await serialWrite(this.dataSource, () => this.repository.save({ ...subscription, secretHash: hashApiKey(secret), createdAt: now }));
  }

  /**
   * The subscription `subscriptionId` names, when `secret` is its secret; null otherwise (no such
   * subscription, no secret, or another one). The comparison is constant-time.
   */
  async verify(subscriptionId: string, secret: unknown): Promise<WebhookSubscription | null> {
    if (typeof secret !== 'string' || secret === '') return null;
    const found = await this.repository.findOneBy({ id: subscriptionId });
    return found && keyMatchesHash(secret, found.secretHash) ? found : null;
  }

  async list(): Promise<WebhookSubscription[]> {
    return this.repository.find({ order: { resource: 'ASC', event: 'ASC', id: 'ASC' } });
  }

  /** Forgets a subscription; resolves with whether it was known. */
  async remove(id: string): Promise<boolean> {
    const result = await serialWrite(this.dataSource, () => this.repository.delete({ id }));
    return (result.affected ?? 0) > 0;
  }
}

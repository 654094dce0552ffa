import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { WebhookInboxEntry } from '../entities/index.js';
import { serialWrite } from '../sync/write-gate.js';
import type { Notification } from './notification.js';

/**
 * The durable inbox between the receiver and the apply worker. The receiver answers 2xx only
 * after `add` has committed; the worker deletes entries in the transaction that applies them.
 */
export class WebhookInbox {
  private readonly repository: Repository<WebhookInboxEntry>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(WebhookInboxEntry);
  }

  async add(notification: Notification, receivedAt: Date): Promise<void> {
    const { resource, event, ids, subscriptionId } = notification;
    await serialWrite(this.dataSource, () => this.repository.insert({ resource, event, ids, subscriptionId, receivedAt, attempts: 0, lastError: null }));
  }

  /** Entries waiting, per resource. */
  async depth(): Promise<Map<string, number>> {
    const rows = await this.repository
      .createQueryBuilder('entry')
      .select('entry.resource', 'resource')
      .addSelect('COUNT(*)', 'waiting')
      .groupBy('entry.resource')
      .getRawMany<{ resource: string; waiting: number | string }>();
    return new Map(rows.map((row) => [row.resource, Number(row.waiting)]));
  }

  /** The oldest `limit` entries of `resource`. */
  async oldest(resource: string, limit: number): Promise<WebhookInboxEntry[]> {
    return this.repository.find({ where: { resource }, order: { id: 'ASC' }, take: limit });
  }

  /** Deletes applied entries inside the caller's transaction. */
  async removeIn(manager: EntityManager, entries: readonly WebhookInboxEntry[]): Promise<void> {
    if (entries.length > 0) await manager.getRepository(WebhookInboxEntry).delete({ id: In(entries.map((entry) => entry.id)) });
  }

  /** Counts a failed apply on each entry, with the reason (bounded). */
  async recordFailure(entries: readonly WebhookInboxEntry[], reason: string): Promise<void> {
    if (entries.length === 0) return;
    await serialWrite(this.dataSource, () =>
      this.repository
        .createQueryBuilder()
        .update()
        .set({ attempts: () => 'attempts + 1', lastError: reason.slice(0, 500) })
        .where({ id: In(entries.map((entry) => entry.id)) })
        .execute(),
    );
  }
}

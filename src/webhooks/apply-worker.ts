import type { DataSource } from 'typeorm';
import { appendChanges } from '../changes/change-log.writer.js';
import type { AppConfig } from '../config.js';
import type { CrmRecord, WebhookInboxEntry } from '../entities/index.js';
import { silentLogger, type Logger } from '../logger.js';
import { webhookApplied, webhookInboxDepth } from '../observability/metrics.js';
import type { CapabilityService } from '../sync/capability-service.js';
import type { SyncController } from '../sync/controller.js';
import type { RequestStats, UpstreamClient } from '../sync/http-client.js';
import { PageCheckError } from '../sync/page-check.js';
import { retryOnDeadlock } from '../sync/deadlock-retry.js';
import { PageWriter } from '../sync/page-writer.js';
import { markDeletedIn } from '../sync/record-deletion.js';
import { createRecordMapper, mapRecords, type RecordMapper } from '../sync/record-mapper.js';
import { acquireResourceLock } from '../sync/resource-lock.js';
import { ResourceSearch } from '../sync/resource-search.js';
import { RECORD_RESOURCES, type RecordResourceDefinition, type RecordResourceName } from '../resources/resource-table.js';
import { RunLog } from '../sync/run-log.js';
import { safeMessage } from '../sync/safe-message.js';
import { SyncStateStore } from '../sync/sync-state.store.js';
import { serialWrite } from '../sync/write-gate.js';
import { WebhookInbox } from './inbox.js';

/**
 * Applies the inbox: per resource, a batch of notifications at a time, it looks the named
 * records up with the `ids` filter (200 a request, through the sync's client: the same rate
 * limit and retries), upserts what it finds and, for `delete` notifications, marks deleted only
 * the ids the lookup confirms absent. The writes, their change log entries and the removal of
 * the batch from the inbox commit in one transaction, so a crash anywhere applies the batch
 * again later, never half.
 *
 * Order-free and idempotent: it never applies the notification's content, only the record's
 * current state upstream, and the upsert never puts an older `date_modified` over a newer one.
 * Several processes may run a worker on one database: a named lock per resource
 * (`mirrorgraph:webhooks:<resource>`, apart from the sync's) lets one apply at a time.
 *
 * Where the API does not honour `ids` (the probe says so, or a lookup proves it), a batch is
 * applied by the resource's incremental sync instead, which starts from its checkpoint; deletions
 * are then left to the full reconcile.
 */
export interface ApplyWorkerOptions {
  dataSource: DataSource;
  config: Readonly<AppConfig>;
  /** The sync engine's client (shares its rate limiter and retries). */
  client: UpstreamClient;
  capabilities: CapabilityService;
  /** Runs the incremental fallback. */
  sync: SyncController;
  logger?: Logger;
  /** How often the inbox is looked at for notifications another process received (WEBHOOK_POLL_MS). */
  pollMs: number;
  /** Called after a batch committed changes (the change feed's wake-up: subscribers here hear of them at once). */
  onCommitted?: () => void;
  resources?: readonly RecordResourceDefinition[];
}

/** Notifications per transaction: at most 200 x 30 ids, a few lookups. */
const ENTRIES_PER_BATCH = 200;
/** Waits after a failed batch: 1 s, doubling, at most a minute. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export class WebhookApplyWorker {
  /** Upstream requests the worker made (lookups and probes), for the bench. */
  readonly stats: RequestStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly log: Logger;
  private readonly inbox: WebhookInbox;
  private readonly writers = new Map<RecordResourceName, PageWriter>();
  private readonly mappers = new Map<RecordResourceName, RecordMapper>();
  private readonly definitions: ReadonlyMap<RecordResourceName, RecordResourceDefinition>;
  private readonly draining = new Map<RecordResourceName, Promise<void>>();
  /** Resources nudged while draining: drained once more when the current drain ends. */
  private readonly again = new Set<RecordResourceName>();
  private readonly retryAt = new Map<RecordResourceName, number>();
  private readonly failures = new Map<RecordResourceName, number>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ApplyWorkerOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'webhooks' });
    this.inbox = new WebhookInbox(options.dataSource);
    this.definitions = new Map((options.resources ?? RECORD_RESOURCES).map((definition) => [definition.name, definition]));
    const state = new SyncStateStore(options.dataSource);
    const runs = new RunLog(options.dataSource);
    for (const definition of this.definitions.values()) {
      this.writers.set(definition.name, new PageWriter(options.dataSource, definition.name, definition.entity as new () => CrmRecord, state, runs));
      this.mappers.set(definition.name, createRecordMapper(definition.entity, { closeDateFormat: options.config.closeDateFormat }));
    }
  }

  /** Polls every `pollMs` (the first poll at once: an inbox left by a crash drains on start). */
  start(): void {
    if (this.timer || this.abort.signal.aborted) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
    void this.poll();
  }

  /** A notification for `resource` was just received here: apply it now rather than at the next poll (once started). */
  nudge(resource: RecordResourceName): void {
    if (this.timer && this.mayDrain(resource)) void this.drain(resource);
  }

  /** Looks at the inbox and drains every resource with notifications waiting; resolves when those drains end. */
  async poll(): Promise<void> {
    let depth: Map<string, number>;
    try {
      depth = await this.inbox.depth();
    } catch (error) {
      if (!this.abort.signal.aborted) this.log.warn({ err: error }, 'could not read the webhook inbox; trying again at the next poll');
      return;
    }
    const drains: Promise<void>[] = [];
    for (const name of this.definitions.keys()) {
      webhookInboxDepth.set({ resource: name }, depth.get(name) ?? 0);
      if ((depth.get(name) ?? 0) > 0 && this.mayDrain(name)) drains.push(this.drain(name));
    }
    await Promise.all(drains);
  }

  /** Stops polling, lets the batch in flight commit or roll back. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.draining.values()]);
  }

  /** After a failed batch, not before its backoff has passed, however many notifications arrive meanwhile. */
  private mayDrain(resource: RecordResourceName): boolean {
    return (this.retryAt.get(resource) ?? 0) <= Date.now();
  }

  private drain(resource: RecordResourceName): Promise<void> {
    const running = this.draining.get(resource);
    if (running) {
      this.again.add(resource);
      return running;
    }
    const run = this.drainUnderLock(resource).finally(() => {
      this.draining.delete(resource);
      if (this.again.delete(resource) && !this.abort.signal.aborted && this.mayDrain(resource)) void this.drain(resource);
    });
    this.draining.set(resource, run);
    return run;
  }

  private async drainUnderLock(resource: RecordResourceName): Promise<void> {
    const definition = this.definitions.get(resource);
    if (!definition || this.abort.signal.aborted) return;
    let lock;
    try {
      lock = await acquireResourceLock(this.options.dataSource, resource, 'webhooks');
    } catch (error) {
      this.log.warn({ err: error, resource }, 'could not take the webhook lock; trying again at the next poll');
      return;
    }
    // Another process applies this resource's notifications (it drains what we received too).
    if (!lock) return;
    let entries: WebhookInboxEntry[] = [];
    try {
      while (!this.abort.signal.aborted) {
        entries = await this.inbox.oldest(resource, ENTRIES_PER_BATCH);
        if (entries.length === 0) break;
        await this.apply(definition, entries);
        this.failures.delete(resource);
        this.retryAt.delete(resource);
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const failures = (this.failures.get(resource) ?? 0) + 1;
      this.failures.set(resource, failures);
      const waitMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
      this.retryAt.set(resource, Date.now() + waitMs);
      const reason = safeMessage(error, this.options.config.upstream.apiKey, 500);
      this.log.error({ resource, notifications: entries.length, retryInMs: waitMs, reason }, 'applying webhook notifications failed; they stay in the inbox');
      await this.inbox.recordFailure(entries, reason).catch(() => undefined);
    } finally {
      await lock.release();
    }
  }

  private async apply(definition: RecordResourceDefinition, entries: readonly WebhookInboxEntry[]): Promise<void> {
    const { name } = definition;
    const search = new ResourceSearch(this.options.client, name, definition.path, this.options.config.upstream.dataSelector, this.stats, this.abort.signal);
    const view = await this.options.capabilities.resolve(name, search);
    const ids = [...new Set(entries.flatMap((entry) => entry.ids))];
    if (!view.capabilities.ids) return this.applyByIncremental(definition, entries);
    let records: unknown[];
    try {
      records = await search.lookup(ids, this.options.config.upstream.pageSize);
    } catch (error) {
      // The API ignored `ids`: probe again before the next batch, which then takes the fallback if the probe agrees.
      if (error instanceof PageCheckError) await this.options.capabilities.markStale(name, error.message);
      throw error;
    }
    const { rows, rejects } = mapRecords(this.mappers.get(name)!, records);
    const found = new Set(rows.map((row) => row.id));
    const deleteEvents = new Set(entries.filter((entry) => entry.event === 'delete').flatMap((entry) => entry.ids));
    const gone = ids.filter((id) => deleteEvents.has(id) && !found.has(id));
    const writer = this.writers.get(name)!;
    const now = new Date(Math.floor(Date.now() / 1_000) * 1_000);
    let upserted = 0;
    let deleted = 0;
    await serialWrite(this.options.dataSource, () =>
      retryOnDeadlock(() => this.options.dataSource.transaction(async (manager) => {
        const { changes } = await writer.upsertIn(manager, rows, now);
        await writer.rejectIn(manager, rejects, now, null);
        const deletions = await markDeletedIn(manager, definition.entity as new () => CrmRecord, name, { ids: gone }, now);
        await this.inbox.removeIn(manager, entries);
        await appendChanges(manager, [...changes, ...deletions], 'webhook', new Date());
        upserted = changes.length;
        deleted = deletions.length;
      })),
    );
    if (upserted + deleted > 0) this.options.onCommitted?.();
    const alive = [...deleteEvents].filter((id) => found.has(id)).length;
    webhookApplied.inc({ resource: name, outcome: 'upserted' }, upserted);
    webhookApplied.inc({ resource: name, outcome: 'unchanged' }, rows.length - upserted);
    webhookApplied.inc({ resource: name, outcome: 'deleted' }, deleted);
    webhookApplied.inc({ resource: name, outcome: 'alive' }, alive);
    webhookApplied.inc({ resource: name, outcome: 'absent' }, ids.length - found.size - gone.length);
    this.log.info({ resource: name, notifications: entries.length, ids: ids.length, upserted, deleted, alive, rejected: rejects.length }, 'webhook notifications applied');
  }

  /** Without `ids`: the resource's incremental picks the changes up; the batch is done when it succeeds. */
  private async applyByIncremental(definition: RecordResourceDefinition, entries: readonly WebhookInboxEntry[]): Promise<void> {
    const [run] = await this.options.sync.trigger([definition.name], 'incremental', { wait: true });
    if (run?.status !== 'succeeded') {
      throw new Error(`the incremental sync that applies notifications where ids is not honoured did not succeed (${run?.status ?? 'no run'}${run?.error ? `: ${run.error}` : ''})`);
    }
    await serialWrite(this.options.dataSource, () => this.options.dataSource.transaction((manager) => this.inbox.removeIn(manager, entries)));
    this.log.info({ resource: definition.name, notifications: entries.length, runId: run.id }, 'webhook notifications applied by an incremental sync (the API does not honour ids)');
  }
}

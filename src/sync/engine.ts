import { IsNull, Not, type DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import type { SyncRun, SyncRunMode, SyncRunStatus } from '../entities/index.js';
import { SyncBusyError } from '../errors/index.js';
import { silentLogger, type Logger } from '../logger.js';
import { syncRunDuration, syncRuns } from '../observability/metrics.js';
import { systemClock, type Clock } from './clock.js';
import type { ResourceSyncStatus, SyncController, SyncProgress, TriggerOptions } from './controller.js';
import { CapabilityService, type CapabilityView } from './capability-service.js';
import { UpstreamClient } from './http-client.js';
import { ReferenceSync, type ReferenceSyncResult } from './reference-sync.js';
import { ResourceSearch } from './resource-search.js';
import { RateLimiter } from './rate-limiter.js';
import { acquireResourceLock } from './resource-lock.js';
import { ResourceRun } from './resource-run.js';
import { RECORD_RESOURCES, type RecordResourceDefinition, type RecordResourceName } from '../resources/resource-table.js';
import { RunLog } from './run-log.js';
import { safeMessage } from './safe-message.js';
import { SyncStateStore } from './sync-state.store.js';

/**
 * The sync engine: runs per resource under a lock, records them in `sync_runs`, exposes
 * progress and status, and stops cleanly. See resource-run.ts for what a run does.
 */
export interface SyncEngineOptions {
  config: Readonly<AppConfig>;
  /** An open DataSource with migrations applied (`openDatabase`); the engine does not close it. */
  dataSource: DataSource;
  logger?: Logger;
  /** Shared by every resource; built from `config.upstream.maxRequestsPerMinute` when omitted. */
  limiter?: RateLimiter;
  /** Built from `config.upstream` when omitted (the engine then closes it). */
  client?: UpstreamClient;
  clock?: Clock;
  /** First retry wait (default 2,000 ms; tests pass a few ms). */
  retryBaseMs?: number;
  /** Cap on a Retry-After wait (default 120 s). */
  maxRetryAfterMs?: number;
  /** An interrupted full crawl older than this starts over instead of resuming (default 24 h). */
  fullResumeMaxAgeMs?: number;
  /** Default: the resource table. */
  resources?: readonly RecordResourceDefinition[];
}

interface ActiveRun {
  mode: SyncRunMode;
  abort: AbortController;
  /** The run as recorded when it started (or the busy record). */
  started: Promise<SyncRun>;
  /** The run as recorded when it ended. */
  done: Promise<SyncRun>;
  run?: ResourceRun;
}

const MAX_ERROR_LENGTH = 2_000;

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new SyncEngine(options);
}

export class SyncEngine implements SyncController {
  readonly limiter: RateLimiter;
  private readonly client: UpstreamClient;
  private readonly ownsClient: boolean;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly state: SyncStateStore;
  private readonly runs: RunLog;
  readonly capabilities: CapabilityService;
  private readonly definitions: ReadonlyMap<RecordResourceName, RecordResourceDefinition>;
  private readonly active = new Map<RecordResourceName, ActiveRun>();
  private readonly referenceSync: ReferenceSync;
  private stopped = false;

  constructor(private readonly options: SyncEngineOptions) {
    const { config } = options;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.limiter = options.limiter ?? new RateLimiter({ maxRequests: config.upstream.maxRequestsPerMinute, clock: this.clock });
    this.ownsClient = !options.client;
    this.client =
      options.client ??
      new UpstreamClient({
        upstream: config.upstream,
        limiter: this.limiter,
        clock: this.clock,
        retryBaseMs: options.retryBaseMs,
        maxRetryAfterMs: options.maxRetryAfterMs,
      });
    this.state = new SyncStateStore(options.dataSource);
    this.runs = new RunLog(options.dataSource);
    this.capabilities = new CapabilityService(options.dataSource, config, this.logger);
    this.definitions = new Map((options.resources ?? RECORD_RESOURCES).map((definition) => [definition.name, definition]));
    this.referenceSync = new ReferenceSync({
      dataSource: options.dataSource,
      client: this.client,
      dataSelector: config.upstream.dataSelector,
      closeDateFormat: config.closeDateFormat,
      safeMessage: (error) => this.safeMessage(error),
    });
  }

  get resourceNames(): RecordResourceName[] {
    return [...this.definitions.keys()];
  }

  async trigger(resources: readonly RecordResourceName[], mode: SyncRunMode, options: TriggerOptions = {}): Promise<SyncRun[]> {
    if (this.stopped) throw new Error('the sync engine is stopped: no new runs start');
    const active = [...new Set(resources)].map((resource) => this.start(resource, mode));
    return Promise.all(active.map((run) => (options.wait ? run.done : run.started)));
  }

  progress(resource: RecordResourceName): SyncProgress | null {
    const progress = this.active.get(resource)?.run?.progress;
    return progress ? { ...progress } : null;
  }

  async status(): Promise<ResourceSyncStatus[]> {
    return Promise.all([...this.definitions.values()].map((definition) => this.statusOf(definition)));
  }

  /**
   * Probes what each resource's search honours now and stores it (`mirrorgraph probe`); the
   * requests go through the same client and rate limit as the runs. Resolves with the new views.
   */
  async probe(resources: readonly RecordResourceName[]): Promise<CapabilityView[]> {
    const views: CapabilityView[] = [];
    for (const name of resources) {
      const definition = this.definitions.get(name);
      if (!definition) throw new Error(`unknown resource: expected one of ${this.resourceNames.join(', ')}, got ${JSON.stringify(name)}`);
      const search = new ResourceSearch(this.client, name, definition.path, this.options.config.upstream.dataSelector, { requests: 0, retries: 0, rateLimited: 0 });
      views.push(await this.capabilities.resolve(name, search, true));
    }
    return views;
  }

  /** See SyncController.syncReferenceData; each list's outcome is logged. */
  async syncReferenceData(): Promise<ReferenceSyncResult[]> {
    const results = await this.referenceSync.syncAll();
    for (const result of results) {
      if (result.error) this.logger.error(result, 'reference data not synced');
      else this.logger.info(result, 'reference data synced');
    }
    return results;
  }

  /** Aborts the runs in progress (the page in flight is dropped, a page being written commits), records them interrupted. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.active.values()];
    for (const run of running) run.abort.abort(stopReason());
    await Promise.allSettled(running.map((run) => run.done));
  }

  /** `stop()`, then closes the HTTP client if the engine built it. */
  async close(): Promise<void> {
    await this.stop();
    if (this.ownsClient) await this.client.close();
  }

  /** Starts a run, or returns the one in progress for this resource (one writer per resource). */
  private start(resource: RecordResourceName, mode: SyncRunMode): ActiveRun {
    const existing = this.active.get(resource);
    if (existing) return existing;
    const definition = this.definitions.get(resource);
    if (!definition) throw new Error(`unknown resource: expected one of ${this.resourceNames.join(', ')}, got ${JSON.stringify(resource)}`);
    let announce!: (run: SyncRun) => void;
    let fail!: (error: unknown) => void;
    const started = new Promise<SyncRun>((resolve, reject) => {
      announce = resolve;
      fail = reject;
    });
    const entry: ActiveRun = { mode, abort: new AbortController(), started, done: Promise.resolve(undefined as never) };
    this.active.set(resource, entry);
    entry.done = this.execute(definition, entry, announce)
      .catch((error: unknown) => {
        fail(error);
        throw error;
      })
      .finally(() => this.active.delete(resource));
    // Callers that did not wait still must not meet an unhandled rejection.
    entry.done.catch((error: unknown) => this.logger.error({ err: error, resource }, 'sync could not run'));
    started.catch(() => undefined);
    return entry;
  }

  private async execute(definition: RecordResourceDefinition, entry: ActiveRun, announce: (run: SyncRun) => void): Promise<SyncRun> {
    const { name } = definition;
    const lock = await acquireResourceLock(this.options.dataSource, name);
    if (!lock) {
      const busy = new SyncBusyError(name);
      const run = await this.runs.recordBusy(name, entry.mode, `${busy.message} in another process; this trigger did nothing`);
      syncRuns.inc({ resource: name, mode: entry.mode, outcome: 'busy' });
      this.logger.warn({ resource: name, mode: entry.mode, runId: run.id }, busy.message);
      announce(run);
      return run;
    }
    try {
      const abandoned = await this.runs.closeAbandoned(name);
      if (abandoned > 0) this.logger.warn({ resource: name, abandoned }, 'closed runs left running by a process that died');
      const row = await this.runs.start(name, entry.mode);
      const run = new ResourceRun(
        {
          dataSource: this.options.dataSource,
          config: this.options.config,
          client: this.client,
          state: this.state,
          runs: this.runs,
          logger: this.logger,
          clock: this.clock,
          signal: entry.abort.signal,
          fullResumeMaxAgeMs: this.options.fullResumeMaxAgeMs ?? this.options.config.sync.fullResumeMaxAgeSeconds * 1_000,
          capabilities: this.capabilities,
        },
        definition,
        row,
      );
      entry.run = run;
      announce(row);
      return await this.finishRun(run, entry);
    } finally {
      await lock.release();
    }
  }

  private async finishRun(run: ResourceRun, entry: ActiveRun): Promise<SyncRun> {
    const began = this.clock.now();
    let status: Exclude<SyncRunStatus, 'running'> = 'succeeded';
    let error: string | null = null;
    try {
      await run.execute();
    } catch (caught) {
      status = entry.abort.signal.aborted ? 'interrupted' : 'failed';
      error = status === 'interrupted' ? 'interrupted: the sync was stopped; the next run resumes from the last committed page' : this.safeMessage(caught);
    }
    const final = await this.runs.finish(run.run.id, status, run.finalCounters(), error);
    const seconds = (this.clock.now() - began) / 1_000;
    const labels = { resource: final.resource, mode: final.mode, outcome: status };
    syncRuns.inc(labels);
    syncRunDuration.observe(labels, seconds);
    const summary = {
      resource: final.resource,
      mode: final.mode,
      runId: final.id,
      status,
      pages: final.pages,
      upserted: final.recordsUpserted,
      deleted: final.recordsDeleted,
      rejected: final.recordsRejected,
      requests: final.requests,
      retries: final.retries,
      strategy: final.strategy,
      candidatesConfirmed: final.candidatesConfirmed,
      candidatesAlive: final.candidatesAlive,
      seconds: Math.round(seconds * 10) / 10,
      error: final.error ?? undefined,
    };
    if (status === 'failed') this.logger.error(summary, 'sync run failed');
    else this.logger.info(summary, `sync run ${status}`);
    return final;
  }

  private async statusOf(definition: RecordResourceDefinition): Promise<ResourceSyncStatus> {
    const { name } = definition;
    const repository = this.options.dataSource.getRepository(definition.entity);
    const [state, lastIncrementalRun, lastFullRun, lastRun, recordCount, deletedCount, view] = await Promise.all([
      this.state.find(name),
      this.runs.latest(name, 'incremental'),
      this.runs.latest(name, 'full'),
      this.runs.latest(name),
      repository.countBy({ deletedAt: IsNull() }),
      repository.countBy({ deletedAt: Not(IsNull()) }),
      this.capabilities.view(name),
    ]);
    return {
      resource: name,
      cursor: state?.cursorModified == null ? null : Number(state.cursorModified),
      lastIncrementalRun,
      lastFullRun,
      lastFullReconcileAt: state?.lastFullReconcileAt ?? null,
      recordCount,
      deletedCount,
      running: this.active.has(name),
      progress: this.progress(name),
      lastError: lastRun?.status === 'failed' ? lastRun.error : null,
      strategy: view.strategy,
      capabilities: view.effective.map((entry) => ({ ...entry, note: view.probe?.notes[entry.name] ?? null })),
      probedAt: view.probe?.probedAt ?? null,
      reprobeReason: view.probe?.stale ? view.probe.staleReason : null,
    };
  }

  private safeMessage(error: unknown): string {
    return safeMessage(error, this.options.config.upstream.apiKey, MAX_ERROR_LENGTH);
  }
}

function stopReason(): Error {
  const error = new Error('the sync was stopped');
  error.name = 'AbortError';
  return error;
}

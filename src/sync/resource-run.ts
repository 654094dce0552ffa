import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import type { ChangeSource, CrmRecord, SyncRun } from '../entities/index.js';
import type { Logger } from '../logger.js';
import { syncCandidates, syncCursorLag, syncRecords } from '../observability/metrics.js';
import { abortReason, wholeSecond, type Clock } from './clock.js';
import type { SyncProgress } from './controller.js';
import { DeletionCandidates } from './deletion-candidates.js';
import type { RequestStats, UpstreamClient } from './http-client.js';
import { fetchPages, type Page } from './page-source.js';
import { PageWriter } from './page-writer.js';
import type { CapabilityService } from './capability-service.js';
import { PageCheckError } from './page-check.js';
import { START, type PagePosition, type Paginator } from './paginators.js';
import { createRecordMapper, mapRecords, type RecordMapper } from './record-mapper.js';
import { RECHECK_PASSES } from './reconcile.js';
import { ResourceSearch } from './resource-search.js';
import type { RecordResourceDefinition } from '../resources/resource-table.js';
import { ZERO_COUNTERS, type RunCounters, type RunLog } from './run-log.js';
import { createStrategy } from './strategies/choose.js';
import { later, type CrawlContext, type CrawlOptions, type CrawlStrategy, type FullCrawl, type FullResume } from './strategies/strategy.js';
import { fullCheckpoint, incrementalCheckpoint, positionFrom, type StatePatch, type SyncStateStore } from './sync-state.store.js';

/**
 * One run of one resource, from the starting checkpoint to the end: the crawl, the page
 * writes and, for a full run, the reconcile. The engine owns locking, recording the outcome
 * and metrics per run; this owns everything per page.
 */
export interface ResourceRunDeps {
  dataSource: DataSource;
  config: Readonly<AppConfig>;
  client: UpstreamClient;
  state: SyncStateStore;
  runs: RunLog;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** An interrupted full crawl older than this starts over instead of resuming. */
  fullResumeMaxAgeMs: number;
  capabilities: CapabilityService;
}

export class ResourceRun {
  readonly counters: RunCounters = { ...ZERO_COUNTERS };
  readonly progress: SyncProgress;
  private readonly stats: RequestStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly mapper: RecordMapper;
  private readonly writer: PageWriter;
  private readonly log: Logger;
  private readonly search: ResourceSearch;
  private readonly candidates: DeletionCandidates;

  constructor(
    private readonly deps: ResourceRunDeps,
    private readonly definition: RecordResourceDefinition,
    readonly run: SyncRun,
  ) {
    this.progress = {
      resource: definition.name,
      mode: run.mode,
      runId: run.id,
      startedAt: run.startedAt,
      pages: 0,
      recordsUpserted: 0,
      recordsRejected: 0,
      cursor: null,
    };
    this.mapper = createRecordMapper(definition.entity, { closeDateFormat: deps.config.closeDateFormat });
    this.writer = new PageWriter(deps.dataSource, definition.name, definition.entity as new () => CrmRecord, deps.state, deps.runs);
    this.log = deps.logger.child({ resource: definition.name, runId: run.id, mode: run.mode });
    this.search = new ResourceSearch(deps.client, definition.name, definition.path, deps.config.upstream.dataSelector, this.stats, deps.signal);
    this.candidates = new DeletionCandidates(deps.dataSource, definition.entity as new () => CrmRecord, definition.name, definition.cursorField);
  }

  async execute(): Promise<void> {
    const context = await this.context();
    try {
      if (this.run.mode === 'full') await this.full(context);
      else await this.incremental(context);
    } catch (error) {
      if (error instanceof PageCheckError) await this.reprobe(error);
      throw error;
    }
  }

  /** The capabilities (probed first if never probed, or asked for since), the strategy they allow, and the crawl context. */
  private async context(): Promise<{ strategy: CrawlStrategy; ctx: CrawlContext }> {
    const view = await this.deps.capabilities.resolve(this.definition.name, this.search, false, this.run.mode === 'full');
    const strategy = createStrategy(view.strategy);
    await this.deps.runs.setStrategy(this.run.id, strategy.name);
    this.log.info({ strategy: strategy.name, capabilities: view.capabilities }, 'crawl plan');
    const { upstream, sync } = this.deps.config;
    const ctx: CrawlContext = {
      capabilities: view.capabilities,
      settings: { pageSize: upstream.pageSize, cap: upstream.resultCap, tiePasses: sync.tiePasses, lookbackSeconds: sync.lookbackSeconds },
      search: this.search,
      log: this.log,
      crawl: (paginator, options) => this.crawl(paginator, options ?? {}),
      // Records written outside a crawl are a reconcile's (deletion candidates found alive).
      write: (records) => this.writePage({ records: [...records], number: 0, cursor: null }, undefined, 'reconcile'),
      saveState: (patch) => this.deps.state.update(this.definition.name, patch),
      largeGroups: (size) => this.candidates.largeTimestampGroups(size),
    };
    return { strategy, ctx };
  }

  /** A page check tripped: the findings may be out of date, so the resource is probed again now. */
  private async reprobe(error: PageCheckError): Promise<void> {
    try {
      await this.deps.capabilities.markStale(this.definition.name, error.message);
      await this.deps.capabilities.resolve(this.definition.name, this.search);
    } catch (failure) {
      this.log.warn({ err: failure }, 'the re-probe after a failed page check failed too; the next run probes again');
    }
  }

  private async incremental({ strategy, ctx }: { strategy: CrawlStrategy; ctx: CrawlContext }): Promise<void> {
    const state = await this.deps.state.load(this.definition.name);
    const end = await strategy.incremental(ctx, state);
    const patch: StatePatch = { lastIncrementalAt: wholeSecond(this.deps.clock.now()) };
    if (end) Object.assign(patch, incrementalCheckpoint(end));
    await this.deps.state.update(this.definition.name, patch);
    if (end) this.reportLag(end.minimum);
  }

  /**
   * A complete crawl from the very start; only once it has completed without error are the rows
   * it did not see marked deleted. An interrupted full crawl resumes from its checkpoint with
   * its original start time (if the same strategy wrote it), so rows it wrote before the
   * interruption count as seen.
   */
  private async full({ strategy, ctx }: { strategy: CrawlStrategy; ctx: CrawlContext }): Promise<void> {
    const name = this.definition.name;
    const state = await this.deps.state.load(name);
    const resumable =
      state.fullStartedAt !== null && state.fullStrategy === strategy.name && this.deps.clock.now() - state.fullStartedAt.getTime() < this.deps.fullResumeMaxAgeMs;
    let crawlStart: Date;
    let resume: FullResume | null = null;
    if (resumable && state.fullStartedAt) {
      crawlStart = state.fullStartedAt;
      resume = { position: positionFrom(state.fullCursorModified, state.fullCursorPage), watermark: state.fullWatermark === null ? null : Number(state.fullWatermark) };
      this.log.info({ crawlStart, position: resume.position }, 'resuming an interrupted full reconcile');
    } else {
      crawlStart = await this.nextWholeSecond();
      await this.deps.state.update(name, { fullStartedAt: crawlStart, fullStrategy: strategy.name, fullWatermark: null, ...fullCheckpoint(START) });
    }
    const crawl = await strategy.full(ctx, resume);
    this.counters.recordsDeleted = await this.reconcile(crawlStart, strategy, ctx, crawl);
    syncRecords.inc({ resource: name, action: 'deleted' }, this.counters.recordsDeleted);
    const patch: StatePatch = {
      fullStartedAt: null,
      fullCursorModified: null,
      fullCursorPage: null,
      fullStrategy: null,
      fullWatermark: null,
      lastFullReconcileAt: wholeSecond(this.deps.clock.now()),
    };
    const current = await this.deps.state.load(name);
    const cursor = positionFrom(current.cursorModified, current.cursorPage);
    if (crawl.cursor && later(crawl.cursor, cursor) !== cursor) {
      Object.assign(patch, incrementalCheckpoint(crawl.cursor));
      this.reportLag(crawl.cursor.minimum);
    }
    await this.deps.state.update(name, patch);
  }

  /**
   * Rows the crawl did not see are candidates. Where the API honours `ids`, each is looked up
   * (in batches of 200): those found alive are written, the rest are confirmed gone. Otherwise
   * the strategy crawls again where a record could have slipped past, repeating while a pass
   * still finds candidates alive. Then whatever remains is marked deleted.
   */
  private async reconcile(crawlStart: Date, strategy: CrawlStrategy, ctx: CrawlContext, crawl: FullCrawl): Promise<number> {
    const candidates = this.candidates;
    for (let pass = 1; pass <= RECHECK_PASSES; pass++) {
      const found = await candidates.list(crawlStart);
      if (found.length === 0) break;
      let revived = 0;
      // An id past 2^53 cannot be sent as a JSON number without changing: such candidates are re-checked by crawling.
      if (ctx.capabilities.ids && found.every((candidate) => Number.isSafeInteger(Number(candidate.id)))) {
        const alive = await this.search.lookup(found.map((candidate) => candidate.id), this.deps.config.upstream.pageSize);
        if (alive.length > 0) revived = (await ctx.write(alive)).length;
        this.counters.candidatesAlive += revived;
        this.counters.candidatesConfirmed += found.length - revived;
        this.log.info({ pass, candidates: found.length, revived, by: 'ids' }, 'deletion candidates re-checked');
        break;
      }
      const ids = new Set(found.map((candidate) => candidate.id));
      await strategy.recheck(ctx, found, crawl, (rowIds) => {
        for (const id of rowIds) if (ids.delete(id)) revived++;
      });
      this.counters.candidatesAlive += revived;
      this.log.info({ pass, candidates: found.length, revived, by: 'recheck' }, 'deletion candidates re-checked');
      if (revived === 0) break;
    }
    const deleted = await candidates.markDeleted(crawlStart, wholeSecond(this.deps.clock.now()));
    syncCandidates.inc({ resource: this.definition.name, outcome: 'confirmed' }, this.counters.candidatesConfirmed);
    syncCandidates.inc({ resource: this.definition.name, outcome: 'alive' }, this.counters.candidatesAlive);
    return deleted;
  }

  /** Crawls and writes pages until the paginator stops (or `until`); resolves with the last page. */
  private async crawl(paginator: Paginator, options: CrawlOptions): Promise<Page | undefined> {
    const { signal } = this.deps;
    let last: Page | undefined;
    const pages = fetchPages({
      client: this.deps.client,
      resource: this.definition.name,
      path: this.definition.path,
      dataSelector: this.deps.config.upstream.dataSelector,
      paginator,
      signal,
      stats: this.stats,
    });
    for await (const page of pages) {
      const ids = await this.writePage(page, options.checkpoint?.(page.next));
      options.onRows?.(ids);
      last = page;
      if (options.until?.(page)) break;
      if (signal.aborted) throw abortReason(signal);
    }
    return last;
  }

  private async writePage(page: Pick<Page, 'records' | 'number' | 'cursor'> & { next?: PagePosition; request?: unknown }, state: StatePatch | undefined, source: ChangeSource = 'sync'): Promise<string[]> {
    const began = this.deps.clock.now();
    const { rows, rejects } = mapRecords(this.mapper, page.records);
    const upserted = await this.writer.write({
      rows,
      rejects,
      syncedAt: wholeSecond(this.deps.clock.now()),
      source,
      run: { id: this.run.id, counters: (written) => this.countersAfter(written, rejects.length) },
      state,
    });
    Object.assign(this.counters, this.countersAfter(upserted, rejects.length));
    this.progress.pages = this.counters.pages;
    this.progress.recordsUpserted = this.counters.recordsUpserted;
    this.progress.recordsRejected = this.counters.recordsRejected;
    if (page.cursor !== null) this.progress.cursor = Math.max(this.progress.cursor ?? page.cursor, page.cursor);
    syncRecords.inc({ resource: this.definition.name, action: 'upserted' }, upserted);
    if (rejects.length > 0) syncRecords.inc({ resource: this.definition.name, action: 'rejected' }, rejects.length);
    if (state && page.next && this.run.mode === 'incremental') this.reportLag(page.next.minimum);
    this.log.debug(
      { page: page.number, request: page.request, records: page.records.length, upserted, rejected: rejects.length, ms: this.deps.clock.now() - began },
      'page committed',
    );
    return rows.map((row) => row.id);
  }

  private countersAfter(upserted: number, rejected: number): RunCounters {
    return {
      ...this.counters,
      pages: this.counters.pages + 1,
      recordsUpserted: this.counters.recordsUpserted + upserted,
      recordsRejected: this.counters.recordsRejected + rejected,
      requests: this.stats.requests,
      retries: this.stats.retries,
    };
  }

  /** Counters for the run row when it ends (requests made after the last page included). */
  finalCounters(): RunCounters {
    return { ...this.counters, requests: this.stats.requests, retries: this.stats.retries };
  }

  private reportLag(cursor: number | null): void {
    if (cursor !== null) syncCursorLag.set({ resource: this.definition.name }, Math.max(0, this.deps.clock.now() / 1_000 - cursor));
  }

  /**
   * The start of a full crawl: the next whole second. DATETIME keeps whole seconds, so a row a
   * previous run wrote earlier in the current second would otherwise tie with the start and
   * count as seen by this crawl.
   */
  private async nextWholeSecond(): Promise<Date> {
    const now = this.deps.clock.now();
    const next = Math.floor(now / 1_000) * 1_000 + 1_000;
    await this.deps.clock.sleep(next - now, this.deps.signal);
    return new Date(next);
  }
}


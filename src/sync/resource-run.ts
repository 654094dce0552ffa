import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import type { CrmRecord, SyncRun } from '../entities/index.js';
import type { Logger } from '../logger.js';
import { syncCursorLag, syncRecords } from '../observability/metrics.js';
import { abortReason, wholeSecond, type Clock } from './clock.js';
import type { SyncProgress } from './controller.js';
import { DeletionCandidates } from './deletion-candidates.js';
import type { RequestStats, UpstreamClient } from './http-client.js';
import { fetchPages, type Page } from './page-source.js';
import { PageWriter } from './page-writer.js';
import { createPaginator, START, type PagePosition, type Paginator } from './paginators.js';
import { createRecordMapper, type MirrorRow, type RecordMapper } from './record-mapper.js';
import { recheckWindows, RECHECK_PASSES } from './reconcile.js';
import type { ResourceDefinition } from './resources.js';
import { ZERO_COUNTERS, type RunCounters, type RunLog } from './run-log.js';
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
}

interface CrawlOptions {
  checkpoint?: (next: PagePosition) => StatePatch;
  /** Stop after a page for which this is true (re-check windows end before the data does). */
  until?: (page: Page) => boolean;
  onRows?: (ids: readonly string[]) => void;
}

export class ResourceRun {
  readonly counters: RunCounters = { ...ZERO_COUNTERS };
  readonly progress: SyncProgress;
  private readonly stats: RequestStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly mapper: RecordMapper;
  private readonly writer: PageWriter;
  private readonly log: Logger;

  constructor(
    private readonly deps: ResourceRunDeps,
    private readonly definition: ResourceDefinition,
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
    this.writer = new PageWriter(deps.dataSource, definition.name, definition.entity, deps.state, deps.runs);
    this.log = deps.logger.child({ resource: definition.name, runId: run.id, mode: run.mode });
  }

  async execute(): Promise<void> {
    if (this.run.mode === 'full') await this.full();
    else await this.incremental();
  }

  /** From the stored cursor minus the lookback (re-reading a little is cheap; missing a late write is not). */
  private async incremental(): Promise<void> {
    const state = await this.deps.state.load(this.definition.name);
    const lookback = this.deps.config.sync.lookbackSeconds;
    const stored = positionFrom(state.cursorModified, state.cursorPage);
    const start: PagePosition =
      stored.minimum === null || lookback === 0 ? stored : { minimum: stored.minimum - lookback, page: 1 };
    const last = await this.crawl(this.paginator(start), { checkpoint: incrementalCheckpoint });
    // Page numbers have no cursor to keep: the next crawl starts over. A keyset cursor never
    // moves back: a lookback window that comes back empty must not pull it down by the lookback.
    const end = this.definition.paginator === 'keyset' ? later(last?.next ?? start, stored) : START;
    await this.deps.state.update(this.definition.name, { ...incrementalCheckpoint(end), lastIncrementalAt: wholeSecond(this.deps.clock.now()) });
    this.reportLag(end.minimum);
  }

  /**
   * A complete crawl from the very start; only once it has completed without error are the rows
   * it did not see marked deleted. An interrupted full crawl resumes from its checkpoint with
   * its original start time, so rows it wrote before the interruption count as seen.
   */
  private async full(): Promise<void> {
    const name = this.definition.name;
    const state = await this.deps.state.load(name);
    const resumable = state.fullStartedAt !== null && this.deps.clock.now() - state.fullStartedAt.getTime() < this.deps.fullResumeMaxAgeMs;
    let crawlStart: Date;
    let position: PagePosition;
    if (resumable && state.fullStartedAt) {
      crawlStart = state.fullStartedAt;
      position = positionFrom(state.fullCursorModified, state.fullCursorPage);
      this.log.info({ crawlStart, position }, 'resuming an interrupted full reconcile');
    } else {
      crawlStart = await this.nextWholeSecond();
      position = START;
      await this.deps.state.update(name, { fullStartedAt: crawlStart, ...fullCheckpoint(START) });
    }
    const paginator = this.paginator(position);
    const last = await this.crawl(paginator, { checkpoint: fullCheckpoint });
    this.counters.recordsDeleted = await this.reconcile(crawlStart, paginator, resumable);
    syncRecords.inc({ resource: name, action: 'deleted' }, this.counters.recordsDeleted);
    const end = last?.next ?? position;
    const patch: StatePatch = { fullStartedAt: null, fullCursorModified: null, fullCursorPage: null, lastFullReconcileAt: wholeSecond(this.deps.clock.now()) };
    const current = await this.deps.state.load(name);
    const cursor = positionFrom(current.cursorModified, current.cursorPage);
    if (this.definition.paginator === 'keyset' && later(end, cursor) !== cursor) {
      Object.assign(patch, incrementalCheckpoint(end));
      this.reportLag(end.minimum);
    }
    await this.deps.state.update(name, patch);
  }

  /**
   * Rows the crawl did not see are candidates. Before marking them, the windows where a
   * record could have slipped past the crawl are crawled again (see reconcile.ts), repeating
   * while a pass still finds candidates alive; then whatever remains is marked deleted.
   */
  private async reconcile(crawlStart: Date, paginator: Paginator, resumed: boolean): Promise<number> {
    const candidates = new DeletionCandidates(this.deps.dataSource, this.definition.entity as new () => CrmRecord, this.definition.cursorField);
    for (let pass = 1; pass <= RECHECK_PASSES; pass++) {
      const found = await candidates.list(crawlStart);
      if (found.length === 0) return 0;
      const ids = new Set(found.map((candidate) => candidate.id));
      let revived = 0;
      const onRows = (rowIds: readonly string[]) => {
        for (const id of rowIds) if (ids.delete(id)) revived++;
      };
      if (this.definition.paginator === 'keyset') {
        const groups = resumed ? await candidates.largeTimestampGroups(Math.ceil(this.deps.config.upstream.pageSize / 2)) : [];
        const windows = recheckWindows(paginator.deepWindows, groups, found);
        for (const window of windows.pending()) {
          // A window at or below 0 holds null-dated records: start without a minimum to be sure to reach them.
          const crawler = this.paginator({ minimum: window > 0 ? window : null, page: 1 });
          const last = await this.crawl(crawler, { onRows, until: (page) => (page.cursor ?? -Infinity) >= window + 1 });
          windows.covered(!last || last.last ? Infinity : (last.cursor ?? -Infinity));
        }
      } else {
        // Without windows to target, a second complete crawl is the only re-check there is.
        await this.crawl(this.paginator(START), { onRows });
      }
      this.log.info({ pass, candidates: found.length, revived }, 'deletion candidates re-checked');
      if (revived === 0) break;
    }
    return candidates.markDeleted(crawlStart, wholeSecond(this.deps.clock.now()));
  }

  private paginator(start: PagePosition): Paginator {
    return createPaginator(this.definition.paginator, { pageSize: this.deps.config.upstream.pageSize, cursorField: this.definition.cursorField, start });
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

  private async writePage(page: Page, state: StatePatch | undefined): Promise<string[]> {
    const began = this.deps.clock.now();
    const rows: MirrorRow[] = [];
    const rejects: { reason: string; payload: unknown }[] = [];
    for (const record of page.records) {
      const mapped = this.mapper(record);
      if (mapped.ok) rows.push(mapped.row);
      else rejects.push({ reason: mapped.reason, payload: record });
    }
    const upserted = await this.writer.write({
      rows,
      rejects,
      runId: this.run.id,
      syncedAt: wholeSecond(this.deps.clock.now()),
      state,
      counters: (written) => this.countersAfter(written, rejects.length),
    });
    Object.assign(this.counters, this.countersAfter(upserted, rejects.length));
    this.progress.pages = this.counters.pages;
    this.progress.recordsUpserted = this.counters.recordsUpserted;
    this.progress.recordsRejected = this.counters.recordsRejected;
    if (page.cursor !== null) this.progress.cursor = Math.max(this.progress.cursor ?? page.cursor, page.cursor);
    syncRecords.inc({ resource: this.definition.name, action: 'upserted' }, upserted);
    if (rejects.length > 0) syncRecords.inc({ resource: this.definition.name, action: 'rejected' }, rejects.length);
    if (state && this.run.mode === 'incremental') this.reportLag(page.next.minimum);
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

/** The later of two keyset positions (no minimum is the very start). */
function later(a: PagePosition, b: PagePosition): PagePosition {
  const ma = a.minimum ?? -Infinity;
  const mb = b.minimum ?? -Infinity;
  if (ma !== mb) return ma > mb ? a : b;
  return a.page >= b.page ? a : b;
}

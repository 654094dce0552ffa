import type { SyncState } from '../../entities/index.js';
import type { Logger } from '../../logger.js';
import type { Capabilities } from '../capabilities.js';
import type { Candidate } from '../deletion-candidates.js';
import type { Page } from '../page-source.js';
import type { PagePosition, Paginator } from '../paginators.js';
import type { ResourceSearch } from '../resource-search.js';
import type { StatePatch } from '../sync-state.store.js';

/**
 * A crawl strategy owns a resource's whole crawl plan: what a full crawl and an incremental
 * request, where their checkpoints are, what the incremental cursor becomes, and how deletion
 * candidates are re-checked when the API cannot look records up by id. resource-run.ts calls it
 * through this interface only.
 */
export const STRATEGY_NAMES = ['keyset-modified', 'keyset-created', 'page-number'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface CrawlOptions {
  /** The state patch to commit with each page (its checkpoint); none for crawls that do not resume. */
  checkpoint?: (next: PagePosition) => StatePatch;
  /** Stop after a page for which this is true (re-check windows end before the data does). */
  until?: (page: Page) => boolean;
  onRows?: (ids: readonly string[]) => void;
}

export interface CrawlSettings {
  pageSize: number;
  cap: number;
  tiePasses: number;
  lookbackSeconds: number;
}

/** What a strategy may use: given by the resource run. */
export interface CrawlContext {
  readonly capabilities: Capabilities;
  readonly settings: CrawlSettings;
  readonly search: ResourceSearch;
  readonly log: Logger;
  /** Crawls and writes pages until the paginator stops (or `until`); resolves with the last page. */
  crawl(paginator: Paginator, options?: CrawlOptions): Promise<Page | undefined>;
  /** Writes records found outside a crawl (a lookup's answers); resolves with their ids. */
  write(records: readonly unknown[]): Promise<string[]>;
  saveState(patch: StatePatch): Promise<void>;
  /** Timestamps shared by at least `size` live rows (ties a resumed crawl lost its record of). */
  largeGroups(size: number): Promise<number[]>;
}

/** Where a full crawl resumes: its position and the watermark it started with. */
export interface FullResume {
  position: PagePosition;
  watermark: number | null;
}

export interface FullCrawl {
  /** The incremental cursor the completed crawl justifies (never moved back by the caller), or null. */
  cursor: PagePosition | null;
  deepWindows: ReadonlySet<number>;
  resumed: boolean;
}

export interface CrawlStrategy {
  readonly name: StrategyName;
  /** Crawls what changed since the stored cursor; resolves with the cursor to store (null: leave it). */
  incremental(ctx: CrawlContext, state: SyncState): Promise<PagePosition | null>;
  /** A crawl that reaches every live record, resumed from `resume` when given. */
  full(ctx: CrawlContext, resume: FullResume | null): Promise<FullCrawl>;
  /**
   * Without `ids` lookups: crawls again where a live record could have slipped past `crawl`,
   * reporting every id seen through `onRows`.
   */
  recheck(ctx: CrawlContext, candidates: readonly Candidate[], crawl: FullCrawl, onRows: (ids: readonly string[]) => void): Promise<void>;
}

/** The later of two keyset positions (no minimum is the very start). */
export function later(a: PagePosition, b: PagePosition): PagePosition {
  const ma = a.minimum ?? -Infinity;
  const mb = b.minimum ?? -Infinity;
  if (ma !== mb) return ma > mb ? a : b;
  return a.page >= b.page ? a : b;
}

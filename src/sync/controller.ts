import type { SyncRun, SyncRunMode } from '../entities/index.js';
import type { EffectiveCapability } from './capabilities.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import type { ReferenceSyncResult } from './reference-sync.js';

/**
 * What the rest of the app (GraphQL `resync`/`syncStatus`, the scheduler, metrics, shutdown)
 * may ask of the sync engine. The engine implements it; the GraphQL layer only sees this.
 */
export interface SyncProgress {
  resource: RecordResourceName;
  mode: SyncRunMode;
  runId: number;
  startedAt: Date;
  pages: number;
  recordsUpserted: number;
  recordsRejected: number;
  /** The keyset cursor reached so far (epoch seconds), if the paginator has one. */
  cursor: number | null;
}

export interface ResourceSyncStatus {
  resource: RecordResourceName;
  /** Stored incremental cursor (epoch seconds of `date_modified`), null before the first sync. */
  cursor: number | null;
  lastIncrementalRun: SyncRun | null;
  lastFullRun: SyncRun | null;
  lastFullReconcileAt: Date | null;
  /** Live (not deleted) rows in the mirror table. */
  recordCount: number;
  deletedCount: number;
  running: boolean;
  progress: SyncProgress | null;
  lastError: string | null;
  /** The crawl strategy the capabilities allow. */
  strategy: string;
  /** Each capability, its value, where that came from (configured, probed, assumed) and what the probe saw. */
  capabilities: (EffectiveCapability & { note: string | null })[];
  probedAt: Date | null;
  /** Why the next run probes again (a page check tripped), if it will. */
  reprobeReason: string | null;
}

export interface TriggerOptions {
  /** Resolve only when every started run has finished (the returned runs are then final). */
  wait?: boolean;
}

export interface SyncController {
  /**
   * Starts a run per resource, or returns the run already in progress for a resource that is
   * syncing (never two writers for one resource). Resolves with the runs as recorded.
   */
  trigger(resources: readonly RecordResourceName[], mode: SyncRunMode, options?: TriggerOptions): Promise<SyncRun[]>;
  status(): Promise<ResourceSyncStatus[]>;
  progress(resource: RecordResourceName): SyncProgress | null;
  /**
   * Mirrors the reference data (users, pipelines, stages, ...) whole, each list in one
   * transaction; a list that fails is reported and left as it was. The scheduler calls it before
   * each scheduled run; optional, so that a controller without reference data need not have it.
   */
  syncReferenceData?(): Promise<ReferenceSyncResult[]>;
  /** Lets the page in flight commit or roll back, records runs as interrupted, then resolves. */
  stop(): Promise<void>;
}

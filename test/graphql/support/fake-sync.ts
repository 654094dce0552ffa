import type { SyncRun, SyncRunMode } from '../../../src/entities/index.js';
import type { ResourceSyncStatus, SyncController, SyncProgress, TriggerOptions } from '../../../src/sync/controller.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../../../src/resources/resource-table.js';

/** A SyncController that records what it is asked and answers from memory. */
export class FakeSyncController implements SyncController {
  readonly triggers: { resources: RecordResourceName[]; mode: SyncRunMode; wait: boolean }[] = [];
  failStatusWith: Error | undefined;
  private nextId = 1;

  async trigger(resources: readonly RecordResourceName[], mode: SyncRunMode, options: TriggerOptions = {}): Promise<SyncRun[]> {
    this.triggers.push({ resources: [...resources], mode, wait: options.wait ?? false });
    return resources.map((resource) => this.run(resource, mode, options.wait ? 'succeeded' : 'running'));
  }

  run(resource: RecordResourceName, mode: SyncRunMode, status: SyncRun['status']): SyncRun {
    return {
      id: this.nextId++,
      resource,
      mode,
      status,
      startedAt: new Date('2026-02-01T10:00:00Z'),
      finishedAt: status === 'running' ? null : new Date('2026-02-01T10:01:00Z'),
      pages: 3,
      recordsUpserted: 42,
      recordsDeleted: 0,
      recordsRejected: 1,
      requests: 4,
      retries: 0,
      strategy: 'keyset-modified',
      candidatesConfirmed: 0,
      candidatesAlive: 0,
      error: null,
    };
  }

  async status(): Promise<ResourceSyncStatus[]> {
    if (this.failStatusWith) throw this.failStatusWith;
    return RECORD_RESOURCE_NAMES.map((resource) => ({
      resource,
      cursor: 1_767_225_600,
      lastIncrementalRun: this.run(resource, 'incremental', 'succeeded'),
      lastFullRun: null,
      lastFullReconcileAt: null,
      recordCount: 10,
      deletedCount: 1,
      running: resource === 'people',
      progress: resource === 'people' ? this.progress(resource) : null,
      strategy: 'keyset-created',
      capabilities: [{ name: 'modifiedMin' as const, value: false, source: 'probed' as const, note: 'minimum_modified_date 5 returned 3 records outside it' }],
      probedAt: new Date('2026-02-01T09:00:00Z'),
      reprobeReason: null,
      lastError: null,
    }));
  }

  progress(resource: RecordResourceName): SyncProgress | null {
    return { resource, mode: 'incremental', runId: 99, startedAt: new Date('2026-02-01T11:00:00Z'), pages: 2, recordsUpserted: 400, recordsRejected: 0, cursor: 1_767_225_600 };
  }

  async stop(): Promise<void> {}
}

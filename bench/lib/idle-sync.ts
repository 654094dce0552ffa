import type { SyncRun, SyncRunMode } from '../../src/entities/index.js';
import type { ResourceSyncStatus, SyncController, SyncProgress } from '../../src/sync/controller.js';
import type { RecordResourceName } from '../../src/resources/resource-table.js';

/** A SyncController for a server that only reads (the GraphQL benchmark has no upstream). */
export class IdleSyncController implements SyncController {
  async trigger(_resources: readonly RecordResourceName[], _mode: SyncRunMode): Promise<SyncRun[]> {
    throw new Error('this benchmark server has no upstream to sync from');
  }
  async status(): Promise<ResourceSyncStatus[]> {
    return [];
  }
  progress(): SyncProgress | null {
    return null;
  }
  async stop(): Promise<void> {}
}

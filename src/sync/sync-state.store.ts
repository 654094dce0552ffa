import type { DataSource, EntityManager } from 'typeorm';
import { SyncState } from '../entities/index.js';
import type { PagePosition } from './paginators.js';
import { wholeSecond } from './clock.js';
import { serialWrite } from './write-gate.js';

/**
 * `sync_state`, one row per resource: the incremental cursor, the full reconcile in progress,
 * and when each last completed. Checkpoint updates are written by the page writer, inside the
 * page's transaction.
 */
export type StatePatch = Partial<Omit<SyncState, 'resource' | 'updatedAt'>>;

export class SyncStateStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The resource's row, created empty (cursor null: start from the beginning) on first use. */
  async load(resource: string): Promise<SyncState> {
    const repository = this.dataSource.getRepository(SyncState);
    const found = await repository.findOneBy({ resource });
    if (found) return found;
    await serialWrite(this.dataSource, () =>
      repository
        .createQueryBuilder()
        .insert()
        .values({ resource, cursorModified: null, cursorPage: 1, updatedAt: wholeSecond(Date.now()) })
        .orIgnore()
        .updateEntity(false)
        .execute(),
    );
    return repository.findOneByOrFail({ resource });
  }

  async find(resource: string): Promise<SyncState | null> {
    return this.dataSource.getRepository(SyncState).findOneBy({ resource });
  }

  /** Applies `patch` (inside `manager`'s transaction when given). */
  async update(resource: string, patch: StatePatch, manager?: EntityManager): Promise<void> {
    const write = (m: EntityManager) => m.update(SyncState, { resource }, { ...patch, updatedAt: wholeSecond(Date.now()) });
    if (manager) await write(manager);
    else await serialWrite(this.dataSource, () => write(this.dataSource.manager));
  }
}

/**
 * A position as stored: BIGINT epoch seconds and a page. A fractional minimum (an API sending
 * fractional timestamps) is stored rounded down with page 1: a wider window, never a skipped one.
 */
export function storedPosition(position: PagePosition): { modified: string | null; page: number } {
  if (position.minimum === null) return { modified: null, page: position.page };
  if (Number.isInteger(position.minimum)) return { modified: String(position.minimum), page: position.page };
  return { modified: String(Math.floor(position.minimum)), page: 1 };
}

export function positionFrom(modified: string | null, page: number | null): PagePosition {
  return { minimum: modified === null ? null : Number(modified), page: page !== null && page >= 1 ? page : 1 };
}

export function incrementalCheckpoint(position: PagePosition): StatePatch {
  const stored = storedPosition(position);
  return { cursorModified: stored.modified, cursorPage: stored.page };
}

export function fullCheckpoint(position: PagePosition): StatePatch {
  const stored = storedPosition(position);
  return { fullCursorModified: stored.modified, fullCursorPage: stored.page };
}

import type { DataSource, EntityManager } from 'typeorm';
import { SyncRun, type SyncRunMode, type SyncRunStatus } from '../entities/index.js';
import { wholeSecond } from './clock.js';
import { serialWrite } from './write-gate.js';

/** `sync_runs`: one row per run, its counters kept current page by page. */
export type RunCounters = Pick<
  SyncRun,
  'pages' | 'recordsUpserted' | 'recordsDeleted' | 'recordsRejected' | 'requests' | 'retries' | 'candidatesConfirmed' | 'candidatesAlive'
>;

export const ZERO_COUNTERS: Readonly<RunCounters> = Object.freeze({
  pages: 0,
  recordsUpserted: 0,
  recordsDeleted: 0,
  recordsRejected: 0,
  requests: 0,
  retries: 0,
  candidatesConfirmed: 0,
  candidatesAlive: 0,
});

/** Message stored on runs a crash or kill left `running`. */
export const ABANDONED_RUN_ERROR = 'the process running this sync ended before it finished (crash, kill or lost connection); the next run resumed from the last committed page';

export class RunLog {
  constructor(private readonly dataSource: DataSource) {}

  async start(resource: string, mode: SyncRunMode): Promise<SyncRun> {
    return this.insert({ resource, mode, status: 'running', startedAt: wholeSecond(Date.now()), finishedAt: null, error: null, strategy: null, ...ZERO_COUNTERS });
  }

  /** The strategy a run crawls with, once the capabilities are known. */
  async setStrategy(runId: number, strategy: string): Promise<void> {
    await serialWrite(this.dataSource, () => this.dataSource.getRepository(SyncRun).update({ id: runId }, { strategy }));
  }

  /** A run that could not start because another process holds the resource's lock. */
  async recordBusy(resource: string, mode: SyncRunMode, message: string): Promise<SyncRun> {
    const now = wholeSecond(Date.now());
    return this.insert({ resource, mode, status: 'failed', startedAt: now, finishedAt: now, error: message, strategy: null, ...ZERO_COUNTERS });
  }

  /** Counters written in the page's transaction, so a kill leaves them true to what was committed. */
  async saveCounters(manager: EntityManager, runId: number, counters: RunCounters): Promise<void> {
    await manager.update(SyncRun, { id: runId }, { ...counters });
  }

  async finish(runId: number, status: Exclude<SyncRunStatus, 'running'>, counters: RunCounters, error: string | null): Promise<SyncRun> {
    await serialWrite(this.dataSource, () =>
      this.dataSource.getRepository(SyncRun).update({ id: runId }, { ...counters, status, error, finishedAt: wholeSecond(Date.now()) }),
    );
    return this.dataSource.getRepository(SyncRun).findOneByOrFail({ id: runId });
  }

  /**
   * Runs of `resource` still marked running: called while holding the resource's lock, when no
   * other writer can exist, so they were left by a process that died mid-run.
   */
  async closeAbandoned(resource: string): Promise<number> {
    const result = await serialWrite(this.dataSource, () =>
      this.dataSource
        .getRepository(SyncRun)
        .update({ resource, status: 'running' }, { status: 'interrupted', error: ABANDONED_RUN_ERROR, finishedAt: wholeSecond(Date.now()) }),
    );
    return result.affected ?? 0;
  }

  async get(runId: number): Promise<SyncRun> {
    return this.dataSource.getRepository(SyncRun).findOneByOrFail({ id: runId });
  }

  async latest(resource: string, mode?: SyncRunMode): Promise<SyncRun | null> {
    return this.dataSource.getRepository(SyncRun).findOne({ where: mode ? { resource, mode } : { resource }, order: { id: 'DESC' } });
  }

  private async insert(values: Omit<SyncRun, 'id'>): Promise<SyncRun> {
    const repository = this.dataSource.getRepository(SyncRun);
    const saved = await serialWrite(this.dataSource, () => repository.save(repository.create(values)));
    return repository.findOneByOrFail({ id: saved.id });
  }
}

import cron, { type ScheduledTask } from 'node-cron';
import type { AppConfig } from '../config.js';
import type { SyncRunMode } from '../entities/index.js';
import { silentLogger, type Logger } from '../logger.js';
import type { SyncController } from './controller.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../resources/resource-table.js';

/**
 * Runs the engine on the configured schedules: incremental every SYNC_SCHEDULE, full reconcile
 * every FULL_SYNC_SCHEDULE (either may be off), and a first sync at start for resources whose
 * mirror is empty. `noOverlap` keeps one schedule from piling up behind a slow run.
 */
export interface SchedulerOptions {
  engine: SyncController;
  config: Readonly<AppConfig>;
  logger?: Logger;
  resources?: readonly RecordResourceName[];
}

export interface SyncScheduler {
  /** Resolves when the first sync (if any) has been triggered, not when it ends. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/** A full run asked for while an incremental holds the resource waits for it, this many times at most. */
const FULL_ATTEMPTS = 3;

export function startSyncScheduler(options: SchedulerOptions): SyncScheduler {
  const { engine, config } = options;
  const logger = options.logger ?? silentLogger;
  const resources = options.resources ?? RECORD_RESOURCE_NAMES;
  const tasks: ScheduledTask[] = [];

  const run = async (mode: SyncRunMode, names: readonly RecordResourceName[]) => {
    try {
      // The lookups first: the records synced next are shown with their names at once.
      await engine.syncReferenceData?.();
      let pending = [...names];
      for (let attempt = 1; pending.length > 0 && attempt <= (mode === 'full' ? FULL_ATTEMPTS : 1); attempt++) {
        const runs = await engine.trigger(pending, mode, { wait: true });
        // trigger() hands back a run already in progress: a nightly full must not be lost to an incremental.
        pending = pending.filter((_, i) => runs[i]?.mode !== mode);
      }
    } catch (error) {
      logger.error({ err: error, mode }, 'scheduled sync could not run');
    }
  };

  if (config.sync.schedule) {
    tasks.push(cron.schedule(config.sync.schedule, () => run('incremental', resources), { noOverlap: true, name: 'mirrorgraph-sync-incremental' }));
  }
  if (config.sync.fullSchedule) {
    tasks.push(cron.schedule(config.sync.fullSchedule, () => run('full', resources), { noOverlap: true, name: 'mirrorgraph-sync-full' }));
  }

  const ready = (async () => {
    try {
      const empty = (await engine.status()).filter(
        (status) => resources.includes(status.resource) && status.cursor === null && status.recordCount === 0 && !status.running,
      );
      if (empty.length > 0) {
        const names = empty.map((status) => status.resource);
        logger.info({ resources: names }, 'mirror empty: first sync at start');
        void run('incremental', names);
      }
    } catch (error) {
      logger.error({ err: error }, 'could not read the sync status at start');
    }
  })();

  return {
    ready,
    async stop() {
      await ready;
      for (const task of tasks) await task.destroy();
    },
  };
}

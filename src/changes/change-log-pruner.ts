import type { Logger } from '../logger.js';
import type { ChangeLogReader } from './change-log.reader.js';

export interface ChangeLogPrunerOptions {
  /** CHANGE_LOG_RETENTION_HOURS: changes committed longer ago than this are deleted. */
  retentionHours: number;
  logger: Logger;
  /** Between two prunes, before jitter. */
  intervalMs?: number;
  now?: () => Date;
}

export interface ChangeLogPruner {
  /** One prune now; resolves with the rows deleted. */
  pruneNow(): Promise<number>;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * Prunes the change log about hourly in every serving process. The jitter (up to a tenth of the
 * interval) keeps replicas started together from pruning together; the timer is unref'd, so it
 * never holds a process open. A prune that fails is logged and tried at the next tick.
 */
export function startChangeLogPruner(reader: ChangeLogReader, options: ChangeLogPrunerOptions): ChangeLogPruner {
  const interval = options.intervalMs ?? HOUR_MS;
  const now = options.now ?? (() => new Date());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;

  const pruneNow = (): Promise<number> =>
    (running ??= (async () => {
      try {
        const deleted = await reader.prune(new Date(now().getTime() - options.retentionHours * HOUR_MS));
        if (deleted > 0) options.logger.info({ deleted, retentionHours: options.retentionHours }, 'pruned the change log');
        return deleted;
      } finally {
        running = null;
      }
    })());

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      pruneNow().then(
        () => schedule(),
        (error: unknown) => {
          options.logger.warn({ err: error }, 'could not prune the change log; trying again at the next tick');
          schedule();
        },
      );
    }, interval + Math.floor(Math.random() * interval * 0.1));
    timer.unref();
  };
  schedule();

  return {
    pruneNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

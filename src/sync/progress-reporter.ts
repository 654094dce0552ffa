import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { SyncRun } from '../entities/index.js';
import type { SyncController } from './controller.js';
import type { ReferenceSyncResult } from './reference-sync.js';
import type { RecordResourceName } from '../resources/resource-table.js';

/**
 * Live progress of a CLI sync on stderr: a `cli-progress` line per resource on a terminal,
 * plain lines every few seconds otherwise (logs and CI). There is no total to show: the API's
 * count header is not trusted, so the lines show pages, records and records per second.
 */
export interface ProgressReporter {
  stop(): void;
}

export function startProgressReporter(
  engine: SyncController,
  resources: readonly RecordResourceName[],
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = stream.isTTY ? 250 : 5_000,
): ProgressReporter {
  type Line = { resource: RecordResourceName; pages: number; records: number; rate: number; rejected: number };
  // A finished run has no progress any more: its line keeps the last values seen.
  const lastSeen = new Map<RecordResourceName, Line>();
  const line = (resource: RecordResourceName): Line => {
    const progress = engine.progress(resource);
    if (!progress) return lastSeen.get(resource) ?? { resource, pages: 0, records: 0, rate: 0, rejected: 0 };
    const seconds = Math.max((Date.now() - progress.startedAt.getTime()) / 1_000, 0.001);
    const current = {
      resource,
      pages: progress.pages,
      records: progress.recordsUpserted,
      rejected: progress.recordsRejected,
      rate: Math.round(progress.recordsUpserted / seconds),
    };
    lastSeen.set(resource, current);
    return current;
  };
  if (stream.isTTY) {
    const bars = new MultiBar(
      { format: '{resource} | {pages} pages | {records} records | {rate} records/s | {rejected} rejected', hideCursor: true, stream, clearOnComplete: false },
      Presets.shades_classic,
    );
    const rows = new Map<RecordResourceName, SingleBar>(resources.map((resource) => [resource, bars.create(1, 0, line(resource))]));
    const timer = setInterval(() => rows.forEach((bar, resource) => bar.update(0, line(resource))), intervalMs);
    return {
      stop() {
        clearInterval(timer);
        rows.forEach((bar, resource) => bar.update(0, line(resource)));
        bars.stop();
      },
    };
  }
  const timer = setInterval(() => {
    for (const resource of resources) {
      if (!engine.progress(resource)) continue;
      const p = line(resource);
      stream.write(`sync ${p.resource}: ${p.pages} pages, ${p.records} records, ${p.rate} records/s, ${p.rejected} rejected\n`);
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** One line per run for the end of a CLI sync. */
export function formatRunSummary(run: SyncRun): string {
  const seconds = run.finishedAt ? Math.max((run.finishedAt.getTime() - run.startedAt.getTime()) / 1_000, 1) : undefined;
  const rate = seconds ? `, ${Math.round(run.recordsUpserted / seconds)} records/s` : '';
  const counts = `${run.pages} pages, ${run.recordsUpserted} upserted, ${run.recordsDeleted} deleted, ${run.recordsRejected} rejected, ${run.requests} requests, ${run.retries} retries${rate}`;
  const plan = run.strategy ? `, ${run.strategy}` : '';
  const confirmed = run.candidatesConfirmed + run.candidatesAlive > 0 ? `; deletion candidates: ${run.candidatesConfirmed} confirmed gone, ${run.candidatesAlive} alive` : '';
  return `${run.resource} (${run.mode}${plan}, run ${run.id}): ${run.status} — ${counts}${confirmed}${run.error ? `\n    ${run.error}` : ''}`;
}

/** One line per reference list, beside the runs' summaries. */
export function formatReferenceSummary(result: ReferenceSyncResult): string {
  if (result.error) return `${result.resource}: failed: ${result.error}`;
  return `${result.resource}: ${result.fetched} listed, ${result.inserted} new, ${result.updated} changed, ${result.deleted} deleted${result.rejected ? `, ${result.rejected} rejected` : ''}`;
}

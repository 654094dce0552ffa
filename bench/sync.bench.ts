import { CpuMeter } from './lib/cpu.js';
import { diffMirrorTables } from './lib/compare-tables.js';
import type { BenchContext } from './lib/context.js';
import { fmt, type ScenarioResult, type TableRow } from './lib/report.js';
import { startWorker } from './lib/worker.js';
import type { CeilingInput, CeilingResult } from './workers/ceiling.worker.js';
import type { NaiveSaveInput } from './workers/naive-save.worker.js';
import type { SyncWorkerInput, SyncWorkerResult } from './workers/sync.worker.js';

/**
 * Sync throughput: a full sync of N records from the simulator (its own process, no rate
 * limit) into MariaDB by the real engine (its own process: its RSS and CPU profile are its
 * own), beside the ceiling (the same rows written straight with mysql2 multi-row upserts) and
 * the naive way (TypeORM `save()` per record, on a slice). Each in a fresh database.
 */
const SEED = 1;

interface EngineRun {
  records: number;
  result: SyncWorkerResult;
  requests: number;
  cpu: Record<string, number | null>;
}

async function runEngine(ctx: BenchContext, records: number, profileName?: string): Promise<EngineRun> {
  const database = `sync_engine_${records}${profileName ? '_profiled' : ''}`;
  const simulator = await startWorker<{ url: string }>('simulator.worker.ts', { records, seed: SEED });
  try {
    const db = await ctx.database(database);
    const meter = new CpuMeter({ simulator: simulator.pid, mariadb: ctx.mariadbPid }).start();
    const input: SyncWorkerInput = { databaseUrl: db.url, upstreamUrl: simulator.started.url, mode: 'full' };
    const worker = await startWorker<SyncWorkerResult>('sync.worker.ts', input, {
      cpuProfileDir: profileName ? ctx.profileDir : undefined,
      cpuProfileName: profileName,
    });
    const cpu = meter.stop();
    await worker.stop();
    const stats = await simulator.call<{ requests: number }>('stats');
    return { records, result: worker.started, requests: stats.requests, cpu: { sync: worker.started.cpuSeconds, ...cpu } };
  } finally {
    await simulator.stop();
  }
}

export async function runSyncBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { records, naiveSlice, compareRecords } = ctx.sizes.sync;
  ctx.log(`sync: engine, ${fmt.int(records)} records`);
  const ours = await runEngine(ctx, records);
  const failed = ours.result.runs.filter((r) => r.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`the sync failed: ${JSON.stringify(failed)}`);
  const seconds = ours.result.seconds;
  const pages = ours.result.runs.reduce((sum, r) => sum + r.pages, 0);
  const upserts = ours.result.runs.reduce((sum, r) => sum + r.recordsUpserted, 0);
  const oursRate = records / seconds;

  ctx.log(`sync: ceiling, ${fmt.int(records)} records`);
  const ceilingDb = await ctx.database(`sync_ceiling_${records}`);
  const ceilingInput: CeilingInput = { databaseUrl: ceilingDb.url, records, seed: SEED };
  const ceilingWorker = await startWorker<CeilingResult>('ceiling.worker.ts', ceilingInput);
  await ceilingWorker.stop();
  const ceiling = ceilingWorker.started;
  const ceilingRate = ceiling.records / ceiling.seconds;
  const diff = await diffMirrorTables(ctx.serverUrl, `bench_sync_engine_${records}`, ceilingDb.name);
  const sameRows = Object.values(diff).every((d) => d.rowsA === d.rowsB && d.differing === 0);

  ctx.log(`sync: naive save(), ${fmt.int(naiveSlice)} records`);
  const naiveDb = await ctx.database('sync_naive');
  const naiveInput: NaiveSaveInput = { databaseUrl: naiveDb.url, datasetRecords: records, seed: SEED, slice: naiveSlice };
  const naiveWorker = await startWorker<{ records: number; seconds: number }>('naive-save.worker.ts', naiveInput);
  await naiveWorker.stop();
  const naive = naiveWorker.started;
  const naiveRate = naive.records / naive.seconds;

  let compare: EngineRun | undefined;
  if (compareRecords) {
    ctx.log(`sync: engine again at ${fmt.int(compareRecords)} records, to compare memory`);
    compare = await runEngine(ctx, compareRecords);
  }

  if (ctx.profileDir) {
    const profiled = Math.min(records, 100_000);
    ctx.log(`sync: engine again at ${fmt.int(profiled)} records under --cpu-prof (not measured)`);
    await runEngine(ctx, profiled, 'sync-engine.cpuprofile');
  }

  const peak = ours.result.rss.maxRssMb;
  const rows: TableRow[] = [
    { scenario: 'sync', measure: `records/s, full sync of ${fmt.int(records)} (${fmt.num(seconds)} s)`, ours: fmt.int(oursRate), baseline: `ceiling ${fmt.int(ceilingRate)}`, ratio: fmt.ratio(oursRate, ceilingRate), target: '>= 0.50x ceiling', met: oursRate >= 0.5 * ceilingRate },
    { scenario: 'sync', measure: 'records/s vs naive save() per record', ours: fmt.int(oursRate), baseline: `naive ${fmt.int(naiveRate)}`, ratio: fmt.ratio(oursRate, naiveRate), target: '>= 20x naive', met: oursRate >= 20 * naiveRate },
    { scenario: 'sync', measure: 'pages/s', ours: fmt.num(pages / seconds) },
    { scenario: 'sync', measure: 'upstream requests (pages)', ours: `${fmt.int(ours.requests)} (${fmt.int(pages)})` },
    { scenario: 'sync', measure: 'SQL statements (per page)', ours: `${fmt.int(ours.result.statements.total)} (${fmt.num(ours.result.statements.total / pages)})`, baseline: `ceiling ${fmt.int(ceiling.statements)}` },
    { scenario: 'sync', measure: 'peak RSS of the sync process', ours: fmt.mb(peak), baseline: `at start ${fmt.mb(ours.result.rss.startMb)}`, target: '< 300 MB', met: peak < 300 },
  ];
  if (compare) {
    const small = compare.result.rss.maxRssMb;
    rows.push({ scenario: 'sync', measure: `peak RSS at ${fmt.int(records)} vs ${fmt.int(compareRecords!)}`, ours: fmt.mb(peak), baseline: `${fmt.mb(small)} at ${fmt.int(compareRecords!)}`, ratio: fmt.ratio(peak, small), target: 'no more at 1M than at 100k (within 10%)', met: peak <= small * 1.1 });
  }
  rows.push({ scenario: 'sync', measure: 'ceiling wrote the same rows as the engine', ours: sameRows ? 'identical' : 'DIFFERENT', met: sameRows });
  return {
    scenario: 'sync',
    rows,
    data: {
      records,
      ours: { ...ours, recordsPerSecond: oursRate, pagesPerSecond: pages / seconds, upserts },
      ceiling: { ...ceiling, recordsPerSecond: ceilingRate, sameRowsAsEngine: diff },
      naive: { ...naive, recordsPerSecond: naiveRate },
      compare,
    },
    notes: [
      `Engine: each resource's crawl finished after ${ours.result.runs.map((r) => `${r.resource} ${fmt.num(r.seconds)} s (${r.pages} pages)`).join(', ')}.`,
      `Engine RSS / V8 heap in use by tenth of the sync (MB): ${ours.result.rss.tenths.map((t) => `${fmt.int(t.rssMb)}/${fmt.int(t.heapUsedMb)}`).join(', ')}.`,
      `Engine: ${fmt.int(upserts)} upserts for ${fmt.int(records)} records (keyset windows re-read the boundary timestamp); CPU seconds during the sync: ${JSON.stringify(ours.cpu)}.`,
      `Ceiling: writes only (generation and mapping outside the clock, ${fmt.num(ceiling.wallSeconds)} s with them), ${fmt.int(ceiling.statements)} statements, 4 connections.`,
    ],
  };
}

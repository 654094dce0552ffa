import { SIMULATED_RESOURCES } from '../src/simulator/index.js';
import type { BenchContext } from './lib/context.js';
import { fmt, type ScenarioResult } from './lib/report.js';
import { startWorker } from './lib/worker.js';
import type { SyncWorkerInput, SyncWorkerResult } from './workers/sync.worker.js';

/**
 * Rate limit: the simulator enforces L requests per rolling window of W (the real API's 180 a
 * minute scaled up so the run takes ~30 s) and the engine is configured with the same limit
 * and window. Enough records that the sync is rate-bound for the whole run (small pages make
 * requests cheap, so the limit, not the engine, sets the pace). Reported: the share of the
 * allowance used over the whole windows from the first admitted request, and the 429s.
 */
export interface AdmissionAnalysis {
  windows: number;
  admittedInWindows: number;
  allowance: number;
  ratio: number;
  /** Most admissions seen in any window of W (the server never admits more than L). */
  busiestWindow: number;
}

export function analyseAdmissions(times: readonly number[], limit: number, windowMs: number): AdmissionAnalysis {
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const windows = sorted.length ? Math.floor((sorted[sorted.length - 1] - first) / windowMs) : 0;
  const admittedInWindows = sorted.filter((t) => t < first + windows * windowMs).length;
  let busiestWindow = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= windowMs) i++;
    busiestWindow = Math.max(busiestWindow, j - i + 1);
  }
  const allowance = windows * limit;
  return { windows, admittedInWindows, allowance, ratio: allowance > 0 ? admittedInWindows / allowance : 0, busiestWindow };
}

export async function runRateLimitBench(ctx: BenchContext): Promise<ScenarioResult> {
  const { windowMs, requestsPerWindow: limit, targetSeconds, pageSize } = ctx.sizes.rateLimit;
  // Whole windows for the target time, then half a window more, spread over the four resources.
  const requests = Math.ceil(targetSeconds / (windowMs / 1_000)) * limit + Math.ceil(limit / 2);
  const perResource = Math.ceil(requests / SIMULATED_RESOURCES.length) * pageSize - 1;
  const counts = Object.fromEntries(SIMULATED_RESOURCES.map((r) => [r, perResource]));
  const perMinute = Math.round((limit * 60_000) / windowMs);
  ctx.log(`rate-limit: ${limit} requests per ${windowMs / 1_000} s (${perMinute}/min), ~${requests} requests of ${pageSize} records`);

  const simulator = await startWorker<{ url: string }>('simulator.worker.ts', { records: 0, counts, seed: 2, rateLimit: { requests: limit, windowMs } });
  let result: SyncWorkerResult;
  let stats: { requests: number; byStatus: Record<string, number> };
  let admissions: number[];
  try {
    const db = await ctx.database('rate_limit');
    const input: SyncWorkerInput = {
      databaseUrl: db.url,
      upstreamUrl: simulator.started.url,
      mode: 'full',
      env: { UPSTREAM_MAX_REQUESTS_PER_MINUTE: String(perMinute), UPSTREAM_PAGE_SIZE: String(pageSize) },
      limiter: { maxRequests: limit, windowMs },
    };
    const worker = await startWorker<SyncWorkerResult>('sync.worker.ts', input);
    await worker.stop();
    result = worker.started;
    stats = await simulator.call('stats');
    admissions = await simulator.call('admissions');
  } finally {
    await simulator.stop();
  }
  const failed = result.runs.filter((r) => r.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`the rate-limited sync failed: ${JSON.stringify(failed)}`);
  const analysis = analyseAdmissions(admissions, limit, windowMs);
  const tooMany = stats.byStatus['429'] ?? 0;
  const achievedPerMinute = analysis.windows > 0 ? (analysis.admittedInWindows * 60_000) / (analysis.windows * windowMs) : 0;
  return {
    scenario: 'rate-limit',
    rows: [
      {
        scenario: 'rate-limit',
        measure: `requests/min achieved over ${analysis.windows} whole windows (sync ${fmt.num(result.seconds)} s)`,
        ours: fmt.int(achievedPerMinute),
        baseline: `limit ${fmt.int(perMinute)} (${limit} per ${windowMs / 1_000} s)`,
        ratio: fmt.ratio(achievedPerMinute, perMinute),
        target: '>= 0.95x limit',
        met: analysis.ratio >= 0.95,
      },
      { scenario: 'rate-limit', measure: '429 responses', ours: fmt.int(tooMany), baseline: `of ${fmt.int(stats.requests)} requests`, target: '0', met: tooMany === 0 },
    ],
    data: { limit, windowMs, perMinute, pageSize, counts, sync: result, simulator: stats, analysis },
    notes: [
      `Admissions counted by the simulator's limiter; the busiest window of ${windowMs / 1_000} s admitted ${analysis.busiestWindow} (limit ${limit}). The engine was given a RateLimiter with the same window (its default window is a minute).`,
    ],
  };
}

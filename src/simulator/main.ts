import type { DriftOptions } from './drift.js';
import type { FaultPlanOptions } from './faults.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { ResourceName } from './resources.js';
import type { SearchBehaviour, SearchProfile } from './search-behaviour.js';
import { startSimulator, type Simulator } from './server.js';
import type { WebhookOptions } from './webhooks.js';

export interface SimulatorCliOptions {
  port: number;
  host: string;
  records: number;
  seed: number;
  hostile: boolean;
  envelope: 'data' | 'bare';
  /** Parse a flag with parseFaultSpec. */
  faults?: FaultPlanOptions;
  /** Parse a flag with parseDriftSpec. */
  drift?: DriftOptions | false;
  /** `true` for the real API's 180 per 60 s; default off (benchmarks need the full speed). */
  rateLimit?: RateLimitOptions | boolean;
  /** Default 'honest'. */
  profile?: SearchProfile;
  /** Parse each flag with parseBehaviourSpec. */
  behaviour?: Partial<Record<ResourceName, Partial<SearchBehaviour>>>;
  /** Parse a flag with parseResourceCounts. */
  nullCursors?: Partial<Record<ResourceName, number>>;
  tieBlock?: Partial<Record<ResourceName, number>>;
  tieBlockSharesCreated?: boolean;
  /** Parse a flag with parseWebhookSpec. */
  webhooks?: WebhookOptions;
}

/**
 * Runs the simulator as a foreground process for `mirrorgraph simulate`: starts it, prints one
 * line to stderr and closes it on SIGINT or SIGTERM (after which the process exits on its own).
 * Resolves with the running simulator.
 */
export async function runSimulatorCli(opts: SimulatorCliOptions): Promise<Simulator> {
  const simulator = await startSimulator({
    port: opts.port,
    host: opts.host,
    records: opts.records,
    seed: opts.seed,
    hostile: opts.hostile,
    envelope: opts.envelope,
    faults: opts.faults,
    drift: opts.drift,
    rateLimit: opts.rateLimit ?? false,
    profile: opts.profile,
    behaviour: opts.behaviour,
    nullCursors: opts.nullCursors,
    tieBlock: opts.tieBlock,
    tieBlockSharesCreated: opts.tieBlockSharesCreated,
    webhooks: opts.webhooks,
  });
  process.stderr.write(`simulator listening on ${simulator.url} (${opts.records} records, seed ${opts.seed}, profile ${opts.profile ?? 'honest'})\n`);
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    simulator.close().catch((error: unknown) => {
      process.stderr.write(`simulator: error while closing: ${String(error)}\n`);
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return simulator;
}

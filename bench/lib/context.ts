import { createBenchDatabase, type BenchDatabase } from './database.js';

export type Profile = 'tiny' | 'default' | 'full';

/** Sizes and durations of every scenario, per profile. */
export interface Sizes {
  sync: { records: number; naiveSlice: number; /** Also sync this many, to compare memory (full only). */ compareRecords?: number };
  rateLimit: { windowMs: number; requestsPerWindow: number; targetSeconds: number; pageSize: number };
  graphql: { records: number; seconds: number; connections: number };
  soak: { records: number; seconds: number; quietSeconds: number; connections: number };
}

export const SIZES: Record<Profile, Sizes> = {
  tiny: {
    sync: { records: 2_000, naiveSlice: 300 },
    rateLimit: { windowMs: 1_000, requestsPerWindow: 20, targetSeconds: 5, pageSize: 20 },
    graphql: { records: 2_000, seconds: 2, connections: 10 },
    soak: { records: 2_000, seconds: 10, quietSeconds: 3, connections: 5 },
  },
  default: {
    sync: { records: 100_000, naiveSlice: 2_000 },
    rateLimit: { windowMs: 10_000, requestsPerWindow: 200, targetSeconds: 30, pageSize: 20 },
    graphql: { records: 100_000, seconds: 10, connections: 10 },
    soak: { records: 20_000, seconds: 60, quietSeconds: 15, connections: 10 },
  },
  full: {
    sync: { records: 1_000_000, naiveSlice: 2_000, compareRecords: 100_000 },
    rateLimit: { windowMs: 10_000, requestsPerWindow: 200, targetSeconds: 30, pageSize: 20 },
    graphql: { records: 100_000, seconds: 10, connections: 10 },
    soak: { records: 20_000, seconds: 180, quietSeconds: 30, connections: 10 },
  },
};

export interface BenchContext {
  profile: Profile;
  sizes: Sizes;
  /** `mysql://root@127.0.0.1:PORT/` of the run's throwaway MariaDB. */
  serverUrl: string;
  mariadbPid: number | null;
  /** Where workers write `--cpu-prof` output; unset: no profiling. */
  profileDir?: string;
  /** A fresh, empty database for one scenario (its name is prefixed with `bench_`). */
  database(name: string): Promise<BenchDatabase>;
  log(message: string): void;
}

export function createContext(base: Omit<BenchContext, 'database' | 'log'>): BenchContext {
  return {
    ...base,
    database: (name) => createBenchDatabase(base.serverUrl, `bench_${name}`),
    log: (message) => process.stderr.write(`bench: ${message}\n`),
  };
}

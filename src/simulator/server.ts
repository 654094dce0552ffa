import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DriftController, type DriftOptions } from './drift.js';
import { FaultPlan, type FaultPlanOptions } from './faults.js';
import { send } from './http-io.js';
import { handleInspection } from './inspection-routes.js';
import { ReferenceData } from './reference-data.js';
import { RollingWindowLimiter, type RateLimitOptions } from './rate-limit.js';
import { handleApiRequest, type ApiDeps, type ApiSettings } from './search-handler.js';
import { createStats, resetStats, type SimulatorStats } from './stats.js';
import { WebhookHub, type WebhookOptions } from './webhooks.js';
import { UpstreamStore } from './store.js';
import type { ResourceName } from './resources.js';
import type { SearchBehaviour, SearchProfile } from './search-behaviour.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Total generated records across the four resources (default 1,000). */
  records?: number;
  /** Exact per-resource counts, overriding the 15/45/25/15 split for the resources named. */
  counts?: Partial<Record<ResourceName, number>>;
  /** Default 1. */
  seed?: number;
  /** Damaged data (see hostile.ts). Default false. */
  hostile?: boolean;
  /** Two records per resource without a usable id (missing, "abc"). Default false. */
  rejects?: boolean;
  /** Default `test-key`. */
  apiKey?: string;
  /** Default `test@example.com`. */
  userEmail?: string;
  /** Default `api_key` (Copper: `X-PW-AccessToken`). */
  apiKeyHeader?: string;
  /** Default `user_email` (Copper: `X-PW-UserEmail`). */
  userEmailHeader?: string;
  /** Default `data`. */
  envelope?: 'data' | 'bare';
  /** Search result cap (default 100,000). */
  cap?: number;
  /** Rolling-window limit; `true` means the real API's 180 per 60 s. Default false (off). */
  rateLimit?: RateLimitOptions | boolean;
  /** Default false (no drift). */
  drift?: DriftOptions | false;
  /** Default: no faults. */
  faults?: FaultPlanOptions;
  /** Add `X-Total-Count`. Default false. */
  totalCountHeader?: boolean;
  /** Epoch seconds for modified and created records. Default: the wall clock. */
  clock?: () => number;
  /** See TableSettings.strictlyLatest. Default true. */
  strictlyLatest?: boolean;
  /** What every resource honours of a search, before `behaviour` (default 'honest'; see search-behaviour.ts). */
  profile?: SearchProfile;
  /** Per-resource behaviour on top of the profile. */
  behaviour?: Partial<Record<ResourceName, Partial<SearchBehaviour>>>;
  /** Per resource: this many records with `date_modified` null or missing (half each), spread through the data. */
  nullCursors?: Partial<Record<ResourceName, number>>;
  /** Per resource: size of the same-second tie block (0: none; default TIE_BLOCK_SIZE in resources of 1,000+ records). */
  tieBlock?: Partial<Record<ResourceName, number>>;
  /** The tie block shares `date_created` too, as a bulk import would. Default false. */
  tieBlockSharesCreated?: boolean;
  /** How notifications to webhook subscriptions are delivered (see webhooks.ts). Default: as the real API, HTTPS targets only. */
  webhooks?: WebhookOptions;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  port: number;
  store: UpstreamStore;
  /** The reference data (users, pipelines, ...), which tests change through it. */
  reference: ReferenceData;
  faults: FaultPlan;
  drift: DriftController;
  /** Null when rate limiting is off. */
  rateLimiter: RollingWindowLimiter | null;
  /** Subscriptions made through `/v1/webhooks` and the notifications sent to them. */
  webhooks: WebhookHub;
  stats: SimulatorStats;
  /** Zeroes `stats` in place. */
  resetStats(): void;
  /** Changes what the resource honours from its next search on; settings not named stay. Throws a RangeError on a bad setting. */
  setBehaviour(resource: ResourceName, partial: Partial<SearchBehaviour>): void;
  /** A copy of the resource's behaviour now. */
  behaviourOf(resource: ResourceName): SearchBehaviour;
  /** Stops listening, drops open connections and wakes delayed requests. */
  close(): Promise<void>;
}

/** Starts the upstream simulator on a real HTTP port; resolves once it is listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const store = new UpstreamStore(
    {
      records: options.records ?? 1_000,
      seed: options.seed ?? 1,
      hostile: options.hostile,
      rejects: options.rejects,
      counts: options.counts,
      nullCursors: options.nullCursors,
      tieBlock: options.tieBlock,
      tieBlockSharesCreated: options.tieBlockSharesCreated,
    },
    { cap: options.cap, clock: options.clock, strictlyLatest: options.strictlyLatest, profile: options.profile, behaviour: options.behaviour },
  );
  const deps: ApiDeps = {
    store,
    reference: new ReferenceData(),
    faults: new FaultPlan(options.faults),
    drift: new DriftController(store, options.drift ?? false),
    limiter: rateLimiterFor(options.rateLimit ?? false),
    stats: createStats(),
    settings: apiSettings(options),
    sleepers: new Set(),
    webhooks: new WebhookHub(store, options.webhooks, options.clock),
  };

  const server = createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      // A client that hangs up mid-request is its own business, not a simulator error.
      if (req.destroyed || res.destroyed) return;
      process.stderr.write(`simulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'simulator internal error' }));
      else res.destroy();
    });
  });
  // Longer than undici's 4 s default, so the client, not the server, decides when a kept-alive socket closes.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    store,
    reference: deps.reference,
    faults: deps.faults,
    drift: deps.drift,
    rateLimiter: deps.limiter,
    webhooks: deps.webhooks,
    stats: deps.stats,
    resetStats: () => resetStats(deps.stats),
    setBehaviour: (resource, partial) => store.setBehaviour(resource, partial),
    behaviourOf: (resource) => store.behaviourOf(resource),
    close: async () => {
      await deps.webhooks.close();
      await new Promise<void>((resolve, reject) => {
        for (const wake of [...deps.sleepers]) wake();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function route(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path.startsWith('/__simulator/')) return handleInspection(req, res, new URL(url, 'http://simulator'), deps);
  return handleApiRequest(req, res, path, deps);
}

function rateLimiterFor(option: RateLimitOptions | boolean): RollingWindowLimiter | null {
  if (option === false) return null;
  return new RollingWindowLimiter(option === true ? {} : option);
}

function apiSettings(options: SimulatorOptions): ApiSettings {
  return {
    apiKey: options.apiKey ?? 'test-key',
    userEmail: options.userEmail ?? 'test@example.com',
    apiKeyHeader: options.apiKeyHeader ?? 'api_key',
    userEmailHeader: options.userEmailHeader ?? 'user_email',
    envelope: options.envelope ?? 'data',
    totalCountHeader: options.totalCountHeader ?? false,
  };
}

/**
 * @file The shape of the configuration every other module reads, and the constants its defaults
 * are built from. Nothing here reads the environment: see settings.ts (the table) and load.ts.
 */
import type { Findings, UpstreamProfile } from '../sync/capabilities.js';
import type { RecordResourceName } from '../resources/resource-table.js';

export type CloseDateFormat = 'MDY' | 'DMY' | 'ISO';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | { kind: 'sqlite'; url: string; path: string }
  | {
      kind: 'mysql';
      /** From the URL scheme; `openDatabase` corrects it from the server's VERSION(). */
      flavor: 'mysql' | 'mariadb';
      url: string;
      host: string;
      port: number;
      username: string;
      password: string;
      database: string;
    };

export interface UpstreamConfig {
  baseUrl: string | undefined;
  apiKey: string | undefined;
  userEmail: string | undefined;
  apiKeyHeader: string;
  userEmailHeader: string;
  extraHeaders: Readonly<Record<string, string>>;
  dataSelector: string;
  pageSize: number;
  maxRequestsPerMinute: number;
  maxRetries: number;
  backoffFactor: number;
  timeoutMs: number;
  /** The first backoff wait (ms); each retry multiplies it by `backoffFactor`. */
  retryBaseMs: number;
  /** 429s allowed per request before giving up. */
  maxRateLimitedRetries: number;
  /** `copper` changes the defaults above (headers, selector, base URL) and the assumed capabilities. */
  profile: UpstreamProfile;
  /** Records a search returns at most: a page starting at or past it proves nothing (empty or 400). */
  resultCap: number;
  /** Per resource, capabilities fixed by configuration: they win over a probe's findings. */
  capabilities: Readonly<Partial<Record<RecordResourceName, Findings>>>;
}

export type AuthMode = 'none' | 'api-key' | 'jwt' | 'api-key,jwt';

/** Where the keys that verify a JWT come from: exactly one of the three. */
export type JwtKeySource =
  | { kind: 'jwks'; url: string; /** Least seconds between two fetches of the key set (jose's cooldownDuration). */ refreshSeconds: number }
  | { kind: 'public-key'; publicKey: string }
  | { kind: 'secret'; secret: string };

export interface JwtConfig {
  key: JwtKeySource;
  /** Accepted `iss` values; empty accepts any. */
  issuer: readonly string[];
  /** Accepted `aud` values (one must match); empty accepts any. */
  audience: readonly string[];
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  /** The claim that holds the scopes: a space-separated string or a list. */
  scopesClaim: string;
}

export interface AuthConfig {
  mode: AuthMode;
  /** API keys accepted (api-key mode). */
  apiKeys: boolean;
  /** JWTs accepted (jwt mode): null unless so. */
  jwt: JwtConfig | null;
}

/**
 * The server's edge (src/server/edge/): which documents may run, how often a caller may ask,
 * and who may read /metrics.
 */
export interface EdgeConfig {
  /** TRUSTED_DOCUMENTS: path of a persisted-query manifest (Apollo's or Relay's format); only its operations run. */
  trustedDocuments: string | undefined;
  rateLimit: {
    /** Requests per window per key name or token subject; 0: no limit. */
    max: number;
    /** Requests per window per IP for callers without a subject; 0: no limit. */
    anonymousMax: number;
    windowSeconds: number;
  };
  metrics: {
    /** Bearer token `/metrics` asks for; unset: none asked. */
    token: string | undefined;
    /** Serve `/metrics` on this port (and not on PORT); unset: on PORT. */
    port: number | undefined;
    host: string;
  };
}

export interface AppConfig {
  database: DatabaseConfig;
  auth: AuthConfig;
  /** GraphQL reads: their own pool, every wait bounded (see db/read-pool.ts). */
  reads: {
    statementTimeoutMs: number;
    acquireTimeoutMs: number;
    poolSize: number;
  };
  upstream: UpstreamConfig;
  closeDateFormat: CloseDateFormat;
  sync: {
    schedule: string | null;
    fullSchedule: string | null;
    lookbackSeconds: number;
    /** Passes over a tie deeper than a page (re-read while its ids are fewer than its size) before the run fails. */
    tiePasses: number;
    /** An interrupted full crawl older than this starts over instead of resuming. */
    fullResumeMaxAgeSeconds: number;
  };
  /** Applying upstream webhook notifications (src/webhooks/). */
  webhooks: {
    pollMs: number;
  };
  server: {
    port: number;
    host: string;
    adminToken: string | undefined;
    corsOrigins: readonly string[];
    introspection: boolean;
    /** Serve the GraphiQL page at `GET /graphql` (and `/`). */
    graphiql: boolean;
    maskErrors: boolean;
    defaultPageSize: number;
    maxPageSize: number;
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
    /** `jit` compiles repeated operations with graphql-jit; `graphql-js` interprets every one. */
    executor: GraphQLExecutorKind;
    /** Interpreted runs of a document before it is compiled (jit only). */
    jitAfter: number;
    /** Whether a query may run as one SQL statement built from its selection (see src/schema/compiled/). */
    sqlCompile: SqlCompileMode;
  };
  /** The change log's readers (src/changes/): the subscription feed's poll and the retention. */
  changes: {
    feedPollMs: number;
    retentionHours: number;
  };
  /** `recordsChanged` over WebSocket (src/server/subscriptions/): its bounds per process and per socket. */
  subscriptions: {
    max: number;
    maxQueuedChanges: number;
    stallTimeoutMs: number;
    maxBufferedBytes: number;
  };
  edge: EdgeConfig;
  gateway: GatewayConfig;
  logLevel: LogLevel;
}

/**
 * The federation gateway (src/gateway/): with a supergraph config, `/graphql` serves the graph
 * composed of our own subgraph and the ones the file lists; without one, our subgraph alone.
 */
export interface GatewayConfig {
  /** Path of a rover-style `supergraph.yaml`; unset: no gateway, `/graphql` is our subgraph. */
  supergraphConfig: string | undefined;
  /** Seconds between re-fetches of the remote subgraphs' schemas; 0: only when the file changes. */
  pollIntervalSeconds: number;
  /** Default for a subgraph that sets no `timeout_ms` of its own. */
  subgraphTimeoutMs: number;
  /** Default for a subgraph that sets no `propagate_headers` of its own (lower case). */
  propagateHeaders: readonly string[];
}

export type GraphQLExecutorKind = 'jit' | 'graphql-js';
export type SqlCompileMode = 'auto' | 'off';

/** Which parts a command needs; `upstream` makes the three upstream settings required. */
export interface ConfigNeeds {
  upstream?: boolean;
  /** The command serves GraphQL: with NODE_ENV=production, AUTH_MODE must then be chosen explicitly. */
  serving?: boolean;
}

/** Copper's developer API, the base URL UPSTREAM_PROFILE=copper defaults to. */
export const COPPER_BASE_URL = 'https://api.copper.com/developer_api';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/mirrorgraph.sqlite';

/**
 * @file Every setting, once: its kind, default, secrecy, meaning and where it lands in AppConfig.
 * loadConfig reads them in this order (a derived default looks back only), reports problems in
 * this order, and the README's configuration table is printed from it (scripts/config-table.ts).
 */
import { parseCapabilityOverrides, UPSTREAM_PROFILES, type UpstreamProfile } from '../sync/capabilities.js';
import { RECORD_RESOURCE_NAMES } from '../resources/resource-table.js';
import { authMode, claimName, hmacSecret, jwksUrl, jwtOn, publicKeyPem } from './auth-kinds.js';
import { databaseConfig, databaseUrl } from './database-url.js';
import { boolean, custom, email, headerName, httpUrl, integer, jsonHeaders, list, number, oneOf, schedule, text } from './kinds.js';
import type { Earlier, Setting } from './setting.js';
import { COPPER_BASE_URL, DEFAULT_DATABASE_URL, type AuthMode, type CloseDateFormat, type GraphQLExecutorKind, type LogLevel, type SqlCompileMode } from './types.js';

/** Checks a row against Setting and keeps its exact type, so that Values (load.ts) knows which rows have a default. */
const row = <T, S extends Setting<T>>(setting: S & Setting<T>): S => setting;

const production = (earlier: Earlier): boolean => earlier('NODE_ENV') === 'production';
/** UPSTREAM_PROFILE=copper changes defaults only: a setting given explicitly still wins. */
const copper = (earlier: Earlier): boolean => (earlier('UPSTREAM_PROFILE') as UpstreamProfile) === 'copper';
const jwtMode = { test: (earlier: Earlier) => jwtOn(earlier('AUTH_MODE') as AuthMode), text: 'read only when `AUTH_MODE` includes `jwt`' };
const toSync = { need: 'upstream', text: '— (required to sync)' } as const;

const capabilities = custom(
  'JSON per resource',
  (raw) => {
    const { overrides, problems } = parseCapabilityOverrides(raw, RECORD_RESOURCE_NAMES);
    return problems.length ? { ok: false, messages: problems } : { ok: true, value: overrides };
  },
  (value) => JSON.stringify(value),
);

export const SETTINGS = {
  NODE_ENV: row({ kind: text, fills: null, description: '`production` turns GraphiQL and introspection off, masks errors, and makes `serve` demand an explicit `AUTH_MODE`' }),

  DATABASE_URL: row({
    kind: databaseUrl,
    default: databaseConfig(DEFAULT_DATABASE_URL),
    secret: 'url-password',
    fills: 'database',
    description: '`mysql://user:pass@host:port/db`, `mariadb://…` or `sqlite:<path>`; percent-encode `@ / :` in the user or password (a URL that does not parse is never echoed)',
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: row({ kind: integer(100, 600_000), default: 5_000, fills: 'reads.statementTimeoutMs', description: 'the longest a GraphQL read may run (client and server side; MySQL/MariaDB)' }),
  DATABASE_ACQUIRE_TIMEOUT_MS: row({ kind: integer(100, 600_000), default: 3_000, fills: 'reads.acquireTimeoutMs', description: 'the longest a GraphQL read waits for a pooled connection (and for a new one to connect)' }),
  DATABASE_READ_POOL_SIZE: row({ kind: integer(1, 1_000), default: 10, fills: 'reads.poolSize', description: 'connections of the GraphQL read pool (the sync has its own)' }),

  UPSTREAM_PROFILE: row({
    kind: oneOf<UpstreamProfile>(UPSTREAM_PROFILES),
    default: 'generic',
    fills: 'upstream.profile',
    description: "`copper` changes the defaults below to Copper's (base URL, headers, `X-PW-Application`, bare-array selector) and assumes what Copper documents per resource until a probe shows otherwise",
  }),
  UPSTREAM_BASE_URL: row({
    kind: httpUrl,
    derive: { from: (e) => (copper(e) ? COPPER_BASE_URL : undefined), text: `— (required to sync); Copper: \`${COPPER_BASE_URL}\`` },
    requiredFor: { ...toSync, expected: 'the upstream API base URL, e.g. https://api.copper.com/developer_api' },
    fills: 'upstream.baseUrl',
    description: 'base URL of the CRM API',
  }),
  UPSTREAM_API_KEY: row({ kind: text, secret: true, requiredFor: { ...toSync, expected: 'the upstream API key' }, fills: 'upstream.apiKey', description: 'API key' }),
  UPSTREAM_USER_EMAIL: row({ kind: email, requiredFor: { ...toSync, expected: 'the email of the user the API key belongs to' }, fills: 'upstream.userEmail', description: 'email of the user the key belongs to' }),
  UPSTREAM_API_KEY_HEADER: row({
    kind: headerName,
    derive: { from: (e) => (copper(e) ? 'X-PW-AccessToken' : 'api_key'), text: '`api_key`; Copper: `X-PW-AccessToken`' },
    fills: 'upstream.apiKeyHeader',
    description: 'header carrying the key',
  }),
  UPSTREAM_USER_EMAIL_HEADER: row({
    kind: headerName,
    derive: { from: (e) => (copper(e) ? 'X-PW-UserEmail' : 'user_email'), text: '`user_email`; Copper: `X-PW-UserEmail`' },
    fills: 'upstream.userEmailHeader',
    description: 'header carrying the email',
  }),
  UPSTREAM_EXTRA_HEADERS: row({
    kind: jsonHeaders,
    derive: { from: (e): Record<string, string> => (copper(e) ? { 'X-PW-Application': 'developer_api' } : {}), text: '`{}`; Copper: `{"X-PW-Application":"developer_api"}`' },
    fills: 'upstream.extraHeaders',
    description: 'JSON object of fixed headers sent with every request',
  }),
  UPSTREAM_DATA_SELECTOR: row({
    kind: text,
    derive: { from: (e) => (copper(e) ? '$' : 'data'), text: '`data`; Copper: `$`' },
    fills: 'upstream.dataSelector',
    description: 'where the records are in a response: a dotted path, or `$` for a bare array',
  }),
  UPSTREAM_PAGE_SIZE: row({ kind: integer(1, 200), default: 200, fills: 'upstream.pageSize', description: 'records per request' }),
  UPSTREAM_MAX_REQUESTS_PER_MINUTE: row({ kind: integer(1, 100_000), default: 180, fills: 'upstream.maxRequestsPerMinute', description: 'client-side rate limit shared by all resources' }),
  UPSTREAM_MAX_RETRIES: row({ kind: integer(0, 10), default: 3, fills: 'upstream.maxRetries', description: 'retries on 500, 502, 503, 504, resets, timeouts and broken bodies' }),
  UPSTREAM_BACKOFF_FACTOR: row({ kind: number(1, 10), default: 2, fills: 'upstream.backoffFactor', description: 'exponential backoff factor (waits of about 2, 4, 8 s)' }),
  UPSTREAM_TIMEOUT_MS: row({ kind: integer(100, 600_000), default: 30_000, fills: 'upstream.timeoutMs', description: 'per-request timeout' }),
  UPSTREAM_RETRY_BASE_MS: row({ kind: integer(1, 600_000), default: 2_000, fills: 'upstream.retryBaseMs', description: 'the first backoff wait; each retry multiplies it by the factor' }),
  UPSTREAM_MAX_RATE_LIMITED_RETRIES: row({
    kind: integer(0, 1_000),
    default: 10,
    fills: 'upstream.maxRateLimitedRetries',
    description: '429s allowed per request before the run fails (they say "later", not "broken", so more than other retries)',
  }),
  UPSTREAM_RESULT_CAP: row({ kind: integer(1, 100_000_000), default: 100_000, fills: 'upstream.resultCap', description: 'records a search returns at most; a page at or past it proves nothing' }),
  SYNC_CAPABILITIES: row({
    kind: capabilities,
    default: {},
    fills: 'upstream.capabilities',
    description: 'fixes what each resource\'s search honours, over the probe: `{"people":{"modifiedMin":false}}` (names below)',
  }),

  CLOSE_DATE_FORMAT: row({ kind: oneOf<CloseDateFormat>(['MDY', 'DMY', 'ISO']), default: 'MDY', fills: 'closeDateFormat', description: 'how to read opportunity `close_date`' }),
  SYNC_SCHEDULE: row({ kind: schedule, default: '*/15 * * * *', fills: 'sync.schedule', description: 'cron for incremental syncs; `off` disables' }),
  FULL_SYNC_SCHEDULE: row({ kind: schedule, default: '30 3 * * *', fills: 'sync.fullSchedule', description: 'cron for full reconciles (finds deletions); `off` disables' }),
  SYNC_LOOKBACK_SECONDS: row({ kind: integer(0, 86_400 * 30), default: 300, fills: 'sync.lookbackSeconds', description: 'incremental syncs restart this far before the stored cursor' }),
  SYNC_FULL_RESUME_MAX_AGE_SECONDS: row({
    kind: integer(0, 86_400 * 30),
    default: 86_400,
    fills: 'sync.fullResumeMaxAgeSeconds',
    description: 'an interrupted full crawl older than this starts over instead of resuming',
  }),
  SYNC_TIE_PASSES: row({ kind: integer(1, 1_000), default: 30, fills: 'sync.tiePasses', description: 'passes over a tie deeper than a page (ordered differently per request) before the run fails' }),
  WEBHOOK_POLL_MS: row({ kind: integer(50, 600_000), default: 1_000, fills: 'webhooks.pollMs', description: 'how often each process looks at the webhook inbox for notifications another process received (one received here is applied at once)' }),

  PORT: row({ kind: integer(0, 65_535), default: 4_000, fills: 'server.port', description: 'where the GraphQL server listens' }),
  HOST: row({ kind: text, default: '127.0.0.1', fills: 'server.host', description: 'the address the GraphQL server binds' }),
  ADMIN_TOKEN: row({ kind: text, secret: true, fills: 'server.adminToken', description: 'bearer token holding every scope (the `resync` mutation included); unset disables it' }),
  CORS_ORIGINS: row({ kind: list, default: [], fills: 'server.corsOrigins', description: 'allowed browser origins' }),
  // A production server does not describe itself to strangers unless told to.
  GRAPHQL_INTROSPECTION: row({
    kind: boolean,
    derive: { from: (e) => !production(e), text: '`true`; `false` when `NODE_ENV=production`' },
    fills: 'server.introspection',
    description: 'introspection on or off',
  }),
  GRAPHIQL: row({
    kind: boolean,
    derive: { from: (e) => !production(e), text: '`true`; `false` when `NODE_ENV=production`' },
    fills: 'server.graphiql',
    description: 'serve GraphiQL at `GET /graphql` and `/`',
  }),
  GRAPHQL_MASK_ERRORS: row({
    kind: boolean,
    derive: { from: production, text: '`false`; `true` when `NODE_ENV=production`' },
    fills: 'server.maskErrors',
    description: 'hide internal error details (a request id remains)',
  }),
  GRAPHQL_DEFAULT_PAGE_SIZE: row({ kind: integer(1, 10_000), default: 50, fills: 'server.defaultPageSize', description: 'connection page size when `first` is not given; at most `GRAPHQL_MAX_PAGE_SIZE`' }),
  GRAPHQL_MAX_PAGE_SIZE: row({ kind: integer(1, 10_000), default: 500, fills: 'server.maxPageSize', description: 'largest `first` a connection accepts' }),
  GRAPHQL_MAX_DEPTH: row({ kind: integer(1, 100), default: 10, fills: 'server.maxDepth', description: 'query depth limit' }),
  GRAPHQL_MAX_COST: row({ kind: integer(1, 100_000_000), default: 250_000, fills: 'server.maxCost', description: 'query cost limit: the most rows a query could return, list sizes multiplied' }),
  GRAPHQL_MAX_ALIASES: row({ kind: integer(1, 10_000), default: 30, fills: 'server.maxAliases', description: 'alias limit' }),
  GRAPHQL_MAX_TOKENS: row({ kind: integer(10, 1_000_000), default: 2_000, fills: 'server.maxTokens', description: 'token limit' }),
  GRAPHQL_EXECUTOR: row({
    kind: oneOf<GraphQLExecutorKind>(['jit', 'graphql-js']),
    default: 'jit',
    fills: 'server.executor',
    description: '`jit`: operations run compiled by graphql-jit from their second run, except those with a variable of an input object type (`where`, `orderBy`), which graphql-js always interprets; `graphql-js`: every run interpreted',
  }),
  GRAPHQL_JIT_AFTER: row({ kind: integer(0, 1_000_000), default: 1, fills: 'server.jitAfter', description: 'runs of a document interpreted before it is compiled (`0`: compile at first sight)' }),
  GRAPHQL_SQL_COMPILE: row({
    kind: oneOf<SqlCompileMode>(['auto', 'off']),
    default: 'auto',
    fills: 'server.sqlCompile',
    description: '`auto`: on MariaDB 10.6+ a query the compiler covers runs as ONE SQL statement that builds the JSON answer (src/schema/compiled/); elsewhere, and for what it does not cover, the per-level loaders; `off`: always the loaders',
  }),

  AUTH_MODE: row({ kind: authMode, default: 'none', fills: 'auth.mode', description: 'who may read (see Security); with `NODE_ENV=production`, `serve` refuses to start until it is set' }),
  AUTH_JWKS_URL: row({ kind: jwksUrl, when: jwtMode, fills: 'auth.jwt.key', description: 'JWKS of the identity provider (http:// only for localhost); one of the three key sources' }),
  AUTH_JWT_PUBLIC_KEY: row({ kind: publicKeyPem, secret: true, when: jwtMode, fills: 'auth.jwt.key', description: 'PEM public key or certificate (`\\n` escapes allowed); one of the three key sources' }),
  AUTH_JWT_SECRET: row({ kind: hmacSecret, secret: true, when: jwtMode, fills: 'auth.jwt.key', description: 'HS256 shared secret; one of the three key sources' }),
  AUTH_JWKS_REFRESH_SECONDS: row({ kind: integer(1, 86_400), default: 30, when: jwtMode, fills: 'auth.jwt.key.refreshSeconds', description: 'least seconds between two fetches of the key set' }),
  AUTH_JWT_ISSUER: row({ kind: list, default: [], when: jwtMode, fills: 'auth.jwt.issuer', description: 'accepted `iss` values; unset accepts any' }),
  AUTH_JWT_AUDIENCE: row({ kind: list, default: [], when: jwtMode, fills: 'auth.jwt.audience', description: 'accepted `aud` values (one must match); unset accepts any' }),
  AUTH_JWT_ALGORITHMS: row({
    kind: list,
    default: [],
    when: jwtMode,
    fills: 'auth.jwt.algorithms',
    description: 'algorithms accepted, among those the key can verify (`none` never; HS* only with `AUTH_JWT_SECRET`); unset: all the key can verify (`HS256` for a secret)',
  }),
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS: row({ kind: integer(0, 300), default: 30, when: jwtMode, fills: 'auth.jwt.clockToleranceSeconds', description: 'clock skew allowed on `exp` and `nbf`' }),
  AUTH_SCOPES_CLAIM: row({ kind: claimName, default: 'scope', when: jwtMode, fills: 'auth.jwt.scopesClaim', description: 'claim holding the scopes: a space-separated string, or an array such as `scp` or `permissions`' }),

  TRUSTED_DOCUMENTS: row({ kind: text, fills: 'edge.trustedDocuments', description: "persisted-query manifest (Apollo's or Relay's format): only its operations run" }),
  RATE_LIMIT_MAX: row({ kind: integer(0, 1_000_000_000), default: 0, fills: 'edge.rateLimit.max', description: 'requests per window per key name or token subject; `0`: no limit' }),
  RATE_LIMIT_ANONYMOUS_MAX: row({
    kind: integer(0, 1_000_000_000),
    derive: { from: (e) => e('RATE_LIMIT_MAX') as number, text: '`RATE_LIMIT_MAX`' },
    fills: 'edge.rateLimit.anonymousMax',
    description: 'requests per window per IP for callers without a subject; `0`: no limit',
  }),
  METRICS_TOKEN: row({ kind: text, secret: true, fills: 'edge.metrics.token', description: 'bearer token `/metrics` asks for; unset: none asked' }),
  METRICS_PORT: row({ kind: integer(1, 65_535), fills: 'edge.metrics.port', description: 'serve `/metrics` on this port (not on `PORT`); unset: on `PORT`' }),
  METRICS_HOST: row({ kind: text, default: '127.0.0.1', fills: 'edge.metrics.host', description: 'address `METRICS_PORT` binds' }),
  // After the metrics settings only so that problems keep the order they have always had.
  RATE_LIMIT_WINDOW_SECONDS: row({ kind: integer(1, 86_400), default: 60, fills: 'edge.rateLimit.windowSeconds', description: 'the rate limits\' window' }),

  SUPERGRAPH_CONFIG: row({
    kind: text,
    fills: 'gateway.supergraphConfig',
    description: "path of a rover-style `supergraph.yaml`: `/graphql` then serves our subgraph composed with the ones it lists (ours stays at `/subgraph`); unset: `/graphql` is our subgraph",
  }),
  SUPERGRAPH_POLL_INTERVAL_SECONDS: row({
    kind: integer(0, 86_400),
    default: 0,
    fills: 'gateway.pollIntervalSeconds',
    description: "seconds between re-fetches of the remote subgraphs' schemas (`schema.subgraph_url`); `0`: recompose only when the file changes",
  }),
  SUPERGRAPH_SUBGRAPH_TIMEOUT_MS: row({
    kind: integer(100, 600_000),
    default: 10_000,
    fills: 'gateway.subgraphTimeoutMs',
    description: 'the longest the gateway waits for a remote subgraph, unless its `timeout_ms` says otherwise',
  }),
  SUPERGRAPH_PROPAGATE_HEADERS: row({
    kind: list,
    default: ['authorization'],
    fills: 'gateway.propagateHeaders',
    description: "request headers passed on to a remote subgraph, unless its `propagate_headers` says otherwise; `''`: none",
  }),

  CHANGE_FEED_POLL_MS: row({
    kind: integer(10, 60_000),
    default: 200,
    fills: 'changes.feedPollMs',
    description: 'how often a serving process reads the change log for `recordsChanged` subscribers (only while one is connected); every process polls the shared database, so each delivers every change',
  }),
  CHANGE_LOG_RETENTION_HOURS: row({
    kind: integer(1, 24 * 365 * 10),
    default: 168,
    fills: 'changes.retentionHours',
    description: 'how long the change log keeps a change (pruned hourly); a cursor older than this gets `BAD_USER_INPUT` and must start over',
  }),
  MAX_SUBSCRIPTIONS: row({
    kind: integer(0, 1_000_000),
    default: 1_000,
    fills: 'subscriptions.max',
    description: 'concurrent `recordsChanged` subscriptions per process; the next one gets a `TOO_MANY_SUBSCRIPTIONS` error; `0`: no subscriptions',
  }),
  SUBSCRIPTION_MAX_QUEUED_CHANGES: row({
    kind: integer(1, 10_000_000),
    default: 10_000,
    fills: 'subscriptions.maxQueuedChanges',
    description: 'changes waiting to be sent to one subscription, at most: one that falls this far behind reads the change log again as it catches up, rather than holding more in memory',
  }),
  SUBSCRIPTION_STALL_TIMEOUT_MS: row({
    kind: integer(100, 3_600_000),
    default: 30_000,
    fills: 'subscriptions.stallTimeoutMs',
    description: 'how long a subscription may take nothing while `SUBSCRIPTION_MAX_QUEUED_CHANGES` wait; then its socket is closed with code 1013 (the client resumes with its last cursor)',
  }),
  SUBSCRIPTION_MAX_BUFFERED_BYTES: row({
    kind: integer(1_024, 1_073_741_824),
    default: 4_194_304,
    fills: 'subscriptions.maxBufferedBytes',
    description: "bytes a WebSocket may hold unsent (a slow client's backlog); past it the socket is closed with code 1013",
  }),

  LOG_LEVEL: row({ kind: oneOf<LogLevel>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), default: 'info', fills: 'logLevel', description: 'log verbosity' }),
};

export type SettingName = keyof typeof SETTINGS;

/** The names in table order: the order of reading and of problems. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

import dotenv from 'dotenv';
import cron from 'node-cron';
import { ConfigError } from './errors/index.js';
import { algorithmsForKey, ASYMMETRIC_ALGORITHMS, DEFAULT_JWKS_ALGORITHMS, HMAC_ALGORITHMS, MIN_SECRET_BYTES, normalisePem, readPublicKey } from './auth/jwt-algorithms.js';
import { parseCapabilityOverrides, UPSTREAM_PROFILES, type Findings, type UpstreamProfile } from './sync/capabilities.js';
import { RESOURCE_NAMES, type ResourceName } from './sync/resources.js';

/**
 * Configuration, read from the environment (and `.env`) once, validated as a whole and frozen.
 * A bad value fails with one ConfigError that lists every bad variable, what was expected and
 * what arrived; secrets are shown as `***`.
 */

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
  /** `copper` changes the defaults above (headers, selector, base URL) and the assumed capabilities. */
  profile: UpstreamProfile;
  /** Records a search returns at most: a page starting at or past it proves nothing (empty or 400). */
  resultCap: number;
  /** Per resource, capabilities fixed by configuration: they win over a probe's findings. */
  capabilities: Readonly<Partial<Record<ResourceName, Findings>>>;
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
  };
  edge: EdgeConfig;
  logLevel: LogLevel;
}

export type GraphQLExecutorKind = 'jit' | 'graphql-js';

/** Which parts a command needs; `upstream` makes the three upstream settings required. */
export interface ConfigNeeds {
  upstream?: boolean;
  /** The command serves GraphQL: with NODE_ENV=production, AUTH_MODE must then be chosen explicitly. */
  serving?: boolean;
}

/** Copper's developer API, the base URL UPSTREAM_PROFILE=copper defaults to. */
export const COPPER_BASE_URL = 'https://api.copper.com/developer_api';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/mirrorgraph.sqlite';
const SECRET_VARIABLES = new Set(['UPSTREAM_API_KEY', 'ADMIN_TOKEN', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY']);

type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems while each variable is read, so that all of them are reported at once. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  fail(name: string, expected: string, got: string | undefined): void {
    this.problems.push(`${name}: expected ${expected}, got ${show(name, got)}`);
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.fail(name, `an integer from ${min} to ${max}`, value);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.fail(name, `a number from ${min} to ${max}`, value);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.fail(name, 'true or false', value);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) this.fail(name, `one of ${allowed.join(', ')}`, value);
    return match ?? fallback;
  }

  /** A cron expression, or `off` for none. */
  schedule(name: string, fallback: string): string | null {
    const value = this.raw(name) ?? fallback;
    if (value.toLowerCase() === 'off') return null;
    if (!cron.validate(value)) {
      this.fail(name, 'a cron expression such as "*/15 * * * *", or "off"', value);
      return null;
    }
    return value;
  }

  httpUrl(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    this.fail(name, 'an http:// or https:// URL', value);
    return undefined;
  }

  headerName(name: string, fallback: string): string {
    const value = this.raw(name) ?? fallback;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) {
      this.fail(name, 'an HTTP header name (letters, digits and -_.)', value);
      return fallback;
    }
    return value;
  }

  /** SYNC_CAPABILITIES: a JSON object of resource to capability overrides (see capabilities.ts). */
  capabilities(name: string): Partial<Record<ResourceName, Findings>> {
    const value = this.raw(name);
    if (value === undefined) return {};
    const { overrides, problems } = parseCapabilityOverrides(value, RESOURCE_NAMES);
    for (const problem of problems) this.problems.push(`${name}: ${problem}`);
    return overrides;
  }

  headers(name: string): Record<string, string> {
    const value = this.raw(name);
    if (value === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(value);
      if (
        parsed &&
        typeof parsed === 'object' &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === 'string')
      ) {
        return parsed as Record<string, string>;
      }
    } catch {
      // reported below
    }
    this.fail(name, 'a JSON object of header names to string values, e.g. {"X-PW-Application":"developer_api"}', value);
    return {};
  }
}

/** A value as it may appear in an error message: secrets and passwords masked. */
function show(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing (unset)';
  if (SECRET_VARIABLES.has(name)) return '***';
  if (name === 'DATABASE_URL') return JSON.stringify(maskUnparsedUrl(value));
  return JSON.stringify(redactUrlPassword(value));
}

/**
 * `mysql://user:secret@host/db` → `mysql://user:***@host/db`, in any text. The password runs to
 * the last `@` of the word, so one that holds `@` or `/` itself is masked whole.
 */
export function redactUrlPassword(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)\S*@/gi, '$1***@');
}

/**
 * A database URL that was refused, as an error may show it. One that parses cleanly (a wrong
 * scheme, a missing database) is shown with its password masked; where parsing broke, nobody
 * can tell which part is the password (`mysql:/user:pw@host/db`, `mysql:pw`, a raw `@` in the
 * password), so only the scheme is shown. An SQLite URL holds no credentials and is shown whole.
 */
function maskUnparsedUrl(value: string): string {
  if (value.startsWith('sqlite:')) return value;
  if (singleAuthority(value)) return redactUrlPassword(value);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? '';
  return `${scheme}*** (${value.length - scheme.length} characters hidden: they may hold a password)`;
}

/** `scheme://[user[:password]@]host/...` with at most one `@` before the path: nothing ambiguous. */
function singleAuthority(value: string): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value);
  if (!match) return false;
  try {
    new URL(value);
  } catch {
    return false;
  }
  return (match[1].match(/@/g) ?? []).length <= 1 && !value.slice(match[0].length).includes('@');
}

function parseDatabaseUrl(reader: EnvReader): DatabaseConfig {
  const url = reader.string('DATABASE_URL', DEFAULT_DATABASE_URL);
  const expected = 'mysql://user:pass@host:port/db, mariadb://user:pass@host:port/db or sqlite:<path> (percent-encode @, / and : inside the user or password)';
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path) return { kind: 'sqlite', url, path };
  } else if (/^(mysql|mariadb):\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
      // A second `@` means a password with a raw `@` in it: the parse above split it wrongly.
      if (parsed.hostname && database && !database.includes('/') && singleAuthority(url)) {
        return {
          kind: 'mysql',
          flavor: parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql',
          url,
          host: parsed.hostname,
          port: parsed.port ? Number(parsed.port) : 3306,
          username: decodeURIComponent(parsed.username) || 'root',
          password: decodeURIComponent(parsed.password),
          database,
        };
      }
    } catch {
      // reported below
    }
  }
  reader.fail('DATABASE_URL', expected, url);
  return { kind: 'sqlite', url: DEFAULT_DATABASE_URL, path: './data/mirrorgraph.sqlite' };
}

const AUTH_MODES: readonly AuthMode[] = ['none', 'api-key', 'jwt', 'api-key,jwt'];

/** `jwt,api-key` and `api-key, jwt` mean the same as `api-key,jwt`. */
function parseAuthMode(r: EnvReader, mustChoose: boolean): AuthMode {
  const value = r.raw('AUTH_MODE');
  const expected = 'none, api-key, jwt or api-key,jwt';
  if (value === undefined) {
    if (!mustChoose) return 'none';
    r.fail('AUTH_MODE', `${expected} (NODE_ENV=production needs it set explicitly; AUTH_MODE=none serves every record to anyone who can reach the server)`, undefined);
    return 'none';
  }
  const words = [...new Set(value.toLowerCase().split(/\s*,\s*/))].sort();
  const mode = AUTH_MODES.find((m) => m === words.join(','));
  if (!mode) r.fail('AUTH_MODE', expected, value);
  return mode ?? 'none';
}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Exactly one of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY and AUTH_JWT_SECRET. */
function parseJwtKey(r: EnvReader): { key: JwtKeySource; allowed: readonly string[]; defaults: readonly string[] } | null {
  const given = ['AUTH_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_SECRET'].filter((name) => r.raw(name) !== undefined);
  if (given.length !== 1) {
    r.fail('AUTH_JWKS_URL', 'exactly one of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY (PEM) or AUTH_JWT_SECRET (HS256) with AUTH_MODE=jwt', given.length ? given.join(' and ') : undefined);
    return null;
  }
  const refreshSeconds = r.integer('AUTH_JWKS_REFRESH_SECONDS', 30, 1, 86_400);
  if (given[0] === 'AUTH_JWKS_URL') {
    const url = r.httpUrl('AUTH_JWKS_URL');
    if (!url) return null;
    // Whoever can answer for the key set can mint tokens: plain HTTP only on this machine.
    const host = new URL(url).hostname;
    if (url.startsWith('http:') && !['localhost', '127.0.0.1', '[::1]'].includes(host)) {
      r.fail('AUTH_JWKS_URL', 'an https:// URL (http:// only for localhost)', url);
      return null;
    }
    return { key: { kind: 'jwks', url, refreshSeconds }, allowed: ASYMMETRIC_ALGORITHMS, defaults: DEFAULT_JWKS_ALGORITHMS };
  }
  if (given[0] === 'AUTH_JWT_PUBLIC_KEY') {
    const pem = normalisePem(r.raw('AUTH_JWT_PUBLIC_KEY')!);
    const key = readPublicKey(pem);
    const algorithms = key ? algorithmsForKey(key) : [];
    if (algorithms.length === 0) {
      r.fail('AUTH_JWT_PUBLIC_KEY', 'a PEM RSA, EC (P-256, P-384, P-521) or Ed25519 public key ("-----BEGIN PUBLIC KEY-----") or certificate ("-----BEGIN CERTIFICATE-----")', pem);
      return null;
    }
    return { key: { kind: 'public-key', publicKey: pem }, allowed: algorithms, defaults: algorithms };
  }
  const secret = r.raw('AUTH_JWT_SECRET')!;
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    r.fail('AUTH_JWT_SECRET', `a secret of at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`, secret);
    return null;
  }
  return { key: { kind: 'secret', secret }, allowed: HMAC_ALGORITHMS, defaults: ['HS256'] };
}

function parseJwt(r: EnvReader): JwtConfig | null {
  const key = parseJwtKey(r);
  const configured = list(r.raw('AUTH_JWT_ALGORITHMS'));
  let algorithms: readonly string[] = key?.defaults ?? [];
  if (configured.length && key) {
    const refused = configured.filter((alg) => !key.allowed.includes(alg));
    const kind = key.key.kind === 'secret' ? 'AUTH_JWT_SECRET' : key.key.kind === 'jwks' ? 'AUTH_JWKS_URL' : 'this AUTH_JWT_PUBLIC_KEY';
    if (refused.length) r.fail('AUTH_JWT_ALGORITHMS', `algorithms ${kind} can verify: ${key.allowed.join(', ')} ("none" never; HS* only with AUTH_JWT_SECRET)`, refused.join(','));
    else algorithms = configured;
  }
  const scopesClaim = r.string('AUTH_SCOPES_CLAIM', 'scope');
  if (scopesClaim.length > 200) r.fail('AUTH_SCOPES_CLAIM', 'a claim name of at most 200 characters', scopesClaim.slice(0, 40));
  const jwt: JwtConfig = {
    key: key?.key ?? { kind: 'secret', secret: '' },
    issuer: list(r.raw('AUTH_JWT_ISSUER')),
    audience: list(r.raw('AUTH_JWT_AUDIENCE')),
    algorithms,
    clockToleranceSeconds: r.integer('AUTH_JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    scopesClaim,
  };
  return key ? jwt : null;
}

/** The auth settings; the JWT ones are read (and checked) only when jwt mode is on. */
function parseAuth(r: EnvReader, mustChoose: boolean): AuthConfig {
  const mode = parseAuthMode(r, mustChoose);
  const jwtOn = mode === 'jwt' || mode === 'api-key,jwt';
  return { mode, apiKeys: mode === 'api-key' || mode === 'api-key,jwt', jwt: jwtOn ? parseJwt(r) : null };
}

/** The edge settings: rate limits off (0) unless set, as in the demo; /metrics open on PORT unless told. */
function parseEdge(r: EnvReader): EdgeConfig {
  const max = r.integer('RATE_LIMIT_MAX', 0, 0, 1_000_000_000);
  let metricsPort: number | undefined;
  if (r.raw('METRICS_PORT') !== undefined) {
    metricsPort = r.integer('METRICS_PORT', 0, 1, 65_535);
    const port = r.raw('PORT') ?? '4000';
    if (String(metricsPort) === port) r.fail('METRICS_PORT', `a port other than PORT (${port})`, String(metricsPort));
  }
  return {
    trustedDocuments: r.string('TRUSTED_DOCUMENTS'),
    rateLimit: {
      max,
      anonymousMax: r.integer('RATE_LIMIT_ANONYMOUS_MAX', max, 0, 1_000_000_000),
      windowSeconds: r.integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
    metrics: { token: r.string('METRICS_TOKEN'), port: metricsPort, host: r.string('METRICS_HOST', '127.0.0.1') },
  };
}

/** Reads and validates the whole configuration; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, needs: ConfigNeeds = {}): Readonly<AppConfig> {
  // A .env file fills only what the real environment leaves unset.
  if (env === process.env) dotenv.config({ quiet: true });
  const r = new EnvReader(env);
  const database = parseDatabaseUrl(r);
  const profile = r.oneOf<UpstreamProfile>('UPSTREAM_PROFILE', 'generic', UPSTREAM_PROFILES);
  // A profile changes defaults only: each setting given explicitly still wins.
  const copper = profile === 'copper';
  const upstream: UpstreamConfig = {
    baseUrl: r.httpUrl('UPSTREAM_BASE_URL') ?? (copper && !r.raw('UPSTREAM_BASE_URL') ? COPPER_BASE_URL : undefined),
    apiKey: r.string('UPSTREAM_API_KEY'),
    userEmail: r.string('UPSTREAM_USER_EMAIL'),
    apiKeyHeader: r.headerName('UPSTREAM_API_KEY_HEADER', copper ? 'X-PW-AccessToken' : 'api_key'),
    userEmailHeader: r.headerName('UPSTREAM_USER_EMAIL_HEADER', copper ? 'X-PW-UserEmail' : 'user_email'),
    extraHeaders: Object.freeze(r.raw('UPSTREAM_EXTRA_HEADERS') === undefined && copper ? { 'X-PW-Application': 'developer_api' } : r.headers('UPSTREAM_EXTRA_HEADERS')),
    dataSelector: r.string('UPSTREAM_DATA_SELECTOR', copper ? '$' : 'data'),
    pageSize: r.integer('UPSTREAM_PAGE_SIZE', 200, 1, 200),
    maxRequestsPerMinute: r.integer('UPSTREAM_MAX_REQUESTS_PER_MINUTE', 180, 1, 100_000),
    maxRetries: r.integer('UPSTREAM_MAX_RETRIES', 3, 0, 10),
    backoffFactor: r.number('UPSTREAM_BACKOFF_FACTOR', 2, 1, 10),
    timeoutMs: r.integer('UPSTREAM_TIMEOUT_MS', 30_000, 100, 600_000),
    profile,
    resultCap: r.integer('UPSTREAM_RESULT_CAP', 100_000, 1, 100_000_000),
    capabilities: r.capabilities('SYNC_CAPABILITIES'),
  };
  if (needs.upstream) {
    if (!upstream.baseUrl && !r.raw('UPSTREAM_BASE_URL')) r.fail('UPSTREAM_BASE_URL', 'the upstream API base URL, e.g. https://api.copper.com/developer_api', undefined);
    if (!upstream.apiKey) r.fail('UPSTREAM_API_KEY', 'the upstream API key', undefined);
    if (!upstream.userEmail) r.fail('UPSTREAM_USER_EMAIL', 'the email of the user the API key belongs to', undefined);
  }
  const userEmail = upstream.userEmail;
  if (userEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(userEmail)) {
    r.fail('UPSTREAM_USER_EMAIL', 'an email address', userEmail);
  }
  const defaultPageSize = r.integer('GRAPHQL_DEFAULT_PAGE_SIZE', 50, 1, 10_000);
  const maxPageSize = r.integer('GRAPHQL_MAX_PAGE_SIZE', 500, 1, 10_000);
  if (defaultPageSize > maxPageSize) {
    r.fail('GRAPHQL_DEFAULT_PAGE_SIZE', `at most GRAPHQL_MAX_PAGE_SIZE (${maxPageSize})`, String(defaultPageSize));
  }
  const production = r.string('NODE_ENV') === 'production';
  const config: AppConfig = {
    database,
    auth: parseAuth(r, production && needs.serving === true),
    reads: {
      statementTimeoutMs: r.integer('DATABASE_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
      acquireTimeoutMs: r.integer('DATABASE_ACQUIRE_TIMEOUT_MS', 3_000, 100, 600_000),
      poolSize: r.integer('DATABASE_READ_POOL_SIZE', 10, 1, 1_000),
    },
    upstream,
    closeDateFormat: r.oneOf<CloseDateFormat>('CLOSE_DATE_FORMAT', 'MDY', ['MDY', 'DMY', 'ISO']),
    sync: {
      schedule: r.schedule('SYNC_SCHEDULE', '*/15 * * * *'),
      fullSchedule: r.schedule('FULL_SYNC_SCHEDULE', '30 3 * * *'),
      lookbackSeconds: r.integer('SYNC_LOOKBACK_SECONDS', 300, 0, 86_400 * 30),
      tiePasses: r.integer('SYNC_TIE_PASSES', 30, 1, 1_000),
    },
    server: {
      port: r.integer('PORT', 4000, 0, 65_535),
      host: r.string('HOST', '127.0.0.1'),
      adminToken: r.string('ADMIN_TOKEN'),
      corsOrigins: Object.freeze((r.string('CORS_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
      // A production server does not describe itself to strangers unless told to.
      introspection: r.boolean('GRAPHQL_INTROSPECTION', !production),
      graphiql: r.boolean('GRAPHIQL', !production),
      maskErrors: r.boolean('GRAPHQL_MASK_ERRORS', production),
      defaultPageSize,
      maxPageSize,
      maxDepth: r.integer('GRAPHQL_MAX_DEPTH', 10, 1, 100),
      maxCost: r.integer('GRAPHQL_MAX_COST', 250_000, 1, 100_000_000),
      maxAliases: r.integer('GRAPHQL_MAX_ALIASES', 30, 1, 10_000),
      maxTokens: r.integer('GRAPHQL_MAX_TOKENS', 2_000, 10, 1_000_000),
      executor: r.oneOf<GraphQLExecutorKind>('GRAPHQL_EXECUTOR', 'jit', ['jit', 'graphql-js']),
      jitAfter: r.integer('GRAPHQL_JIT_AFTER', 1, 0, 1_000_000),
    },
    edge: parseEdge(r),
    logLevel: r.oneOf<LogLevel>('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  };
  if (r.problems.length > 0) {
    const n = r.problems.length;
    throw new ConfigError(
      `Invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
      r.problems,
    );
  }
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

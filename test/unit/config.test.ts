import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SETTINGS } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors/index.js';

function failure(env: Record<string, string>, needs = {}): ConfigError {
  try {
    loadConfig(env, needs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('config', () => {
  it('has a working default for everything that can have one', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'sqlite', url: 'sqlite:./data/mirrorgraph.sqlite', path: './data/mirrorgraph.sqlite' });
    expect(config.upstream.pageSize).toBe(200);
    expect(config.upstream.apiKeyHeader).toBe('api_key');
    expect(config.upstream.userEmailHeader).toBe('user_email');
    expect(config.upstream.dataSelector).toBe('data');
    expect(config.upstream.maxRequestsPerMinute).toBe(180);
    expect(config.upstream.maxRetries).toBe(3);
    expect(config.upstream.backoffFactor).toBe(2);
    expect(config.closeDateFormat).toBe('MDY');
    expect(config.sync.schedule).toBe('*/15 * * * *');
    expect(config.server.port).toBe(4000);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ UPSTREAM_EXTRA_HEADERS: '{"X-PW-Application":"developer_api"}' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.upstream.extraHeaders)).toBe(true);
  });

  it('parses MySQL and MariaDB URLs', () => {
    const config = loadConfig({ DATABASE_URL: 'mariadb://app:s%40cret@db.internal:3307/crm' });
    expect(config.database).toMatchObject({ kind: 'mysql', host: 'db.internal', port: 3307, username: 'app', password: 's@cret', database: 'crm' });
  });

  it('names every bad variable at once, with what was expected and what arrived', () => {
    const error = failure({ UPSTREAM_PAGE_SIZE: '500', CLOSE_DATE_FORMAT: 'YMD', PORT: 'http' });
    expect(error.problems).toHaveLength(3);
    expect(error.message).toContain('UPSTREAM_PAGE_SIZE: expected an integer from 1 to 200, got "500"');
    expect(error.message).toContain('CLOSE_DATE_FORMAT: expected one of MDY, DMY, ISO, got "YMD"');
    expect(error.message).toContain('PORT: expected an integer from 0 to 65535, got "http"');
  });

  it('never prints a secret: API key, admin token, database password', () => {
    const error = failure(
      {
        UPSTREAM_API_KEY: 'sk-live-SECRET1',
        UPSTREAM_USER_EMAIL: 'not-an-email',
        DATABASE_URL: 'postgres://app:SECRET2@db/crm',
        SYNC_SCHEDULE: 'every minute',
      },
      { upstream: true },
    );
    expect(error.message).not.toContain('SECRET1');
    expect(error.message).not.toContain('SECRET2');
    expect(error.message).toContain('DATABASE_URL: expected mysql://');
    expect(error.message).toContain('"postgres://app:***@db/crm"');
    expect(error.message).toContain('UPSTREAM_USER_EMAIL: expected an email address, got "not-an-email"');
    expect(error.message).toContain('UPSTREAM_BASE_URL: expected the upstream API base URL');
    expect(error.message).toContain('SYNC_SCHEDULE: expected a cron expression');
  });

  it('requires the upstream settings only for commands that sync', () => {
    expect(() => loadConfig({})).not.toThrow();
    const error = failure({}, { upstream: true });
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['UPSTREAM_BASE_URL', 'UPSTREAM_API_KEY', 'UPSTREAM_USER_EMAIL']);
    expect(error.message).toContain('UPSTREAM_API_KEY: expected the upstream API key, got nothing (unset)');
  });

  it('rejects extra headers that are not a JSON object of strings', () => {
    const error = failure({ UPSTREAM_EXTRA_HEADERS: '["a"]' });
    expect(error.message).toContain('UPSTREAM_EXTRA_HEADERS: expected a JSON object');
  });

  it('turns a schedule off with "off"', () => {
    expect(loadConfig({ SYNC_SCHEDULE: 'off', FULL_SYNC_SCHEDULE: 'OFF' }).sync).toMatchObject({ schedule: null, fullSchedule: null });
  });

  it.each([
    ['a single slash', 'mysql:/mirror:TopSecret2@host/db', 'TopSecret2'],
    ['no slashes at all', 'mysql:TopSecret5', 'TopSecret5'],
    ['a raw @ and / inside the password', 'mysql://mirror:Top@Sec/ret3@host/db', 'Sec/ret3'],
    ['a raw @ inside the password, nothing after the host', 'mariadb://mirror:Top@Secret4@host', 'Secret4'],
  ])('never echoes a malformed DATABASE_URL that may hold a password (%s)', (_case, url, secret) => {
    const error = failure({ DATABASE_URL: url });
    expect(error.message).toContain('DATABASE_URL: expected mysql://');
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('Top');
    expect(error.message).toMatch(/got "(mysql|mariadb):\*\*\* \(\d+ characters hidden/);
  });

  it('reads a percent-encoded password holding @ and /', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://mirror:Top%40Sec%2Fret3@db.internal:3307/crm' });
    expect(config.database).toMatchObject({ kind: 'mysql', host: 'db.internal', port: 3307, username: 'mirror', password: 'Top@Sec/ret3', database: 'crm' });
  });

  it('turns introspection and GraphiQL off in production unless configured', () => {
    expect(loadConfig({}).server).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ NODE_ENV: 'production' }).server).toMatchObject({ introspection: false, graphiql: false, maskErrors: true });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'on' }).server).toMatchObject({ introspection: true, graphiql: true });
  });

  it('bounds reads by default and validates the timeouts', () => {
    expect(loadConfig({}).reads).toEqual({ statementTimeoutMs: 5_000, acquireTimeoutMs: 3_000, poolSize: 10 });
    const error = failure({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon', DATABASE_ACQUIRE_TIMEOUT_MS: '0' });
    expect(error.problems).toEqual([
      'DATABASE_STATEMENT_TIMEOUT_MS: expected an integer from 100 to 600000, got "soon"',
      'DATABASE_ACQUIRE_TIMEOUT_MS: expected an integer from 100 to 600000, got "0"',
    ]);
  });

  it('reports problems in table order, whatever order the rules run in', () => {
    const error = failure({ LOG_LEVEL: 'loud', GRAPHQL_DEFAULT_PAGE_SIZE: '600', DATABASE_READ_POOL_SIZE: '0' });
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_READ_POOL_SIZE', 'GRAPHQL_DEFAULT_PAGE_SIZE', 'LOG_LEVEL']);
    expect(error.problems[1]).toBe('GRAPHQL_DEFAULT_PAGE_SIZE: expected at most GRAPHQL_MAX_PAGE_SIZE (500), got "600"');
  });

  it('derives defaults from settings above them', () => {
    expect(loadConfig({ RATE_LIMIT_MAX: '7' }).edge.rateLimit.anonymousMax).toBe(7);
    expect(loadConfig({ RATE_LIMIT_MAX: '7', RATE_LIMIT_ANONYMOUS_MAX: '0' }).edge.rateLimit.anonymousMax).toBe(0);
  });

  it('leaves the JWT settings unread outside jwt mode', () => {
    expect(() => loadConfig({ AUTH_SCOPES_CLAIM: 'x'.repeat(300), AUTH_JWKS_REFRESH_SECONDS: 'soon' })).not.toThrow();
  });

  it('never prints a value of a row marked secret', () => {
    const secrets = Object.entries(SETTINGS).filter(([, setting]) => 'secret' in setting && setting.secret === true);
    expect(secrets.map(([name]) => name)).toEqual(expect.arrayContaining(['UPSTREAM_API_KEY', 'ADMIN_TOKEN', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'METRICS_TOKEN']));
    const env = Object.fromEntries(secrets.map(([name]) => [name, `leak-${name}`]));
    const error = failure({ ...env, AUTH_MODE: 'jwt', AUTH_JWT_ALGORITHMS: 'none' });
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).not.toContain('leak-');
  });

  it('gives every setting a description and a place in AppConfig or a reason to exist', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      expect(setting.description.length, name).toBeGreaterThan(5);
      expect(setting.fills !== null || name === 'NODE_ENV', name).toBe(true);
    }
  });
});

import { loadConfig, type AppConfig } from '../../src/config.js';

/** The credentials the simulator accepts. */
export const SIMULATOR_CREDENTIALS = { UPSTREAM_API_KEY: 'test-key', UPSTREAM_USER_EMAIL: 'test@example.com' } as const;

/** The app configuration a bench sync runs with: the simulator, a bench database, quiet logs. */
export function benchConfig(databaseUrl: string, upstreamUrl: string | undefined, extra: Record<string, string> = {}): Readonly<AppConfig> {
  return loadConfig(
    {
      DATABASE_URL: databaseUrl,
      ...(upstreamUrl ? { UPSTREAM_BASE_URL: upstreamUrl, ...SIMULATOR_CREDENTIALS } : {}),
      UPSTREAM_MAX_REQUESTS_PER_MINUTE: '100000',
      SYNC_SCHEDULE: 'off',
      FULL_SYNC_SCHEDULE: 'off',
      LOG_LEVEL: 'warn',
      ...extra,
    },
    { upstream: upstreamUrl !== undefined },
  );
}

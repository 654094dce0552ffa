import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

describe('NODE_ENV=production mirrorgraph serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mirrorgraph-prod-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start without AUTH_MODE, saying how to choose (exit 2)', async () => {
    const run = await cli(
      {
        NODE_ENV: 'production',
        DATABASE_URL: `sqlite:${join(dir, 'mirror.sqlite')}`,
        UPSTREAM_BASE_URL: 'http://127.0.0.1:9/developer_api',
        UPSTREAM_API_KEY: 'upstream-key',
        UPSTREAM_USER_EMAIL: 'ops@example.com',
        PORT: '0',
        SYNC_SCHEDULE: 'off',
        FULL_SYNC_SCHEDULE: 'off',
      },
      ['serve'],
      20_000,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AUTH_MODE: expected none, api-key, jwt or api-key,jwt (NODE_ENV=production needs it set explicitly; AUTH_MODE=none serves every record to anyone who can reach the server), got nothing (unset)');
  });
});

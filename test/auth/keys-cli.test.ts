import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { ApiKey } from '../../src/entities/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { cli as run } from './support/cli.js';

const cli = (databaseUrl: string, args: string[]) => run({ DATABASE_URL: databaseUrl }, args);

describe.each(DIALECTS)('mirrorgraph keys on %s', (dialect) => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openDatabase(db.config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('create prints the key once, alone on the last line of stdout, and the key works', async () => {
    const run = await cli(db.url, ['keys', 'create', '--name', 'frontend', '--scopes', 'read:people,read:pii']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const key = lines[0];
    expect(key).toMatch(/^mg_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(run.stdout).toBe(`${key}\n`);
    expect(run.stderr).toContain('created API key "frontend" with scopes read:people, read:pii');
    expect(run.stderr).not.toContain(key);
    const principal = await createAuthenticator(loadConfig({ AUTH_MODE: 'api-key' }).auth, ds, undefined).authenticate({ authorization: `Bearer ${key}` });
    expect(principal.subject).toBe('frontend');

    const list = await cli(db.url, ['keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+SCOPES\s+CREATED\s+LAST USED\s+REVOKED\nfrontend\s+read:people,read:pii\s+\d{4}-\d\d-\d\dT[\d:]+Z/);
    const row = await ds.getRepository(ApiKey).findOneByOrFail({ name: 'frontend' });
    for (const secret of [key, key.slice(16), row.keyHash]) expect(list.stdout + list.stderr).not.toContain(secret);
  });

  it('create refuses a taken name (exit 1)', async () => {
    await cli(db.url, ['keys', 'create', '--name', 'twice', '--scopes', 'read:sync']);
    const again = await cli(db.url, ['keys', 'create', '--name', 'twice', '--scopes', 'read:sync']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('an API key named "twice" already exists');
  });

  it('revoke is idempotent and fails on an unknown name', async () => {
    await cli(db.url, ['keys', 'create', '--name', 'old', '--scopes', 'read:people']);
    const [first, unknown] = await Promise.all([cli(db.url, ['keys', 'revoke', 'old']), cli(db.url, ['keys', 'revoke', 'never-made'])]);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toMatch(/^revoked API key "old" at /);
    const second = await cli(db.url, ['keys', 'revoke', 'old']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^API key "old" was already revoked at .*nothing changed/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no API key named "never-made"');
    const list = await cli(db.url, ['keys', 'list', '--json']);
    const old = (JSON.parse(list.stdout) as { name: string; revokedAt: string | null }[]).find((k) => k.name === 'old');
    expect(old?.revokedAt).toMatch(/^\d{4}-/);
  });
});

describe('mirrorgraph keys create, before any database work', () => {
  it('refuses unknown scopes with exit 2, naming them and the valid ones', async () => {
    const bad = await cli('sqlite::memory:', ['keys', 'create', '--name', 'typo', '--scopes', 'read:people,read:peeple,write:all']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('unknown scopes "read:peeple", "write:all"; valid scopes are read:companies, read:people, read:opportunities, read:projects, read:reference, read:pii, read:deleted, read:sync, sync:write');
  });
});

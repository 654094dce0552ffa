import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { hashApiKey } from '../../src/auth/api-key-format.js';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import { AuthenticationError } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { ApiKey } from '../../src/entities/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

const auth = loadConfig({ AUTH_MODE: 'api-key' }).auth;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as Error).message;
}

describe.each(DIALECTS)('API keys on %s', (dialect) => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  let replica: MirrorDataSource;
  let clock = new Date('2026-06-01T12:00:00Z');
  let store: ApiKeyStore;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openDatabase(db.config);
    // Another replica: its own DataSource (its own pool) on the same database.
    replica = await openDatabase(db.config);
    store = new ApiKeyStore(ds, { now: () => clock });
  });
  afterAll(async () => {
    await ds?.destroy();
    await replica?.destroy();
    await db?.drop();
  });

  it('are stored as a hash, never as the key, and yield their scopes when used', async () => {
    const { key, summary } = await store.create('reporting', ['read:people', 'read:pii']);
    expect(key).toMatch(/^mg_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(summary).toMatchObject({ name: 'reporting', scopes: ['read:people', 'read:pii'], revokedAt: null, lastUsedAt: null });
    const row = await ds.getRepository(ApiKey).findOneByOrFail({ name: 'reporting' });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice('mg_'.length + 12 + 1));
    const principal = await createAuthenticator(auth, replica, undefined).authenticate({ 'x-api-key': key });
    expect(principal).toMatchObject({ subject: 'reporting', via: 'api-key' });
    expect([...principal.scopes].sort()).toEqual(['read:people', 'read:pii']);
  });

  it('refuse a wrong secret and an unknown prefix alike, and a malformed key by its shape', async () => {
    const { key } = await store.create('wrong-secret', ['read:people']);
    const [, prefix, secret] = /^mg_([0-9a-f]{12})_(.+)$/.exec(key)!;
    const flipped = `mg_${prefix}_${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
    expect(await refusal(store.verify(flipped))).toBe('unknown API key');
    expect(await refusal(store.verify(`mg_${'0'.repeat(12)}_${secret}`))).toBe('unknown API key');
    expect(await refusal(store.verify(`${key}x`))).toMatch(/^malformed API key: expected mg_<12 hex digits>_<43 base64url characters>$/);
  });

  it('revoked on one replica are refused at once on another, and revoking twice changes nothing', async () => {
    const { key } = await store.create('leaked', ['read:companies']);
    const other = createAuthenticator(auth, replica, undefined);
    expect((await other.authenticate({ authorization: `Bearer ${key}` })).subject).toBe('leaked');
    const first = await store.revoke('leaked');
    expect(first).toEqual({ alreadyRevoked: false, revokedAt: clock });
    expect(await refusal(other.authenticate({ authorization: `Bearer ${key}` }))).toBe('the API key "leaked" has been revoked');
    expect(await store.revoke('leaked')).toMatchObject({ alreadyRevoked: true });
    expect(await store.revoke('no-such-key')).toBeNull();
  });

  it('keep names unique, revoked ones included', async () => {
    await store.create('unique-name', ['read:people']);
    await expect(store.create('unique-name', ['read:people'])).rejects.toThrow(/an API key named "unique-name" already exists/);
    await store.revoke('unique-name');
    await expect(store.create('unique-name', ['read:people'])).rejects.toThrow(/revoked .*pick another/);
    await expect(store.create('bad name', ['read:people'])).rejects.toThrow(/--name: expected a name of 1 to 100/);
  });

  it('record last use at most once a minute', async () => {
    const { key } = await store.create('chatty', ['read:people']);
    const lastUsed = async () => (await ds.getRepository(ApiKey).findOneByOrFail({ name: 'chatty' })).lastUsedAt;
    const writes: string[] = [];
    const counted = new ApiKeyStore(ds, { now: () => clock });
    const original = ds.getRepository(ApiKey).update.bind(ds.getRepository(ApiKey));
    counted['repo'].update = ((...args: Parameters<typeof original>) => (writes.push('update'), original(...args))) as typeof original;
    for (let i = 0; i < 5; i++) await counted.verify(key);
    await counted.settled();
    expect(writes).toHaveLength(1);
    expect((await lastUsed())!.getTime()).toBe(clock.getTime());
    clock = new Date(clock.getTime() + 30_000);
    await counted.verify(key);
    await counted.settled();
    expect(writes).toHaveLength(1);
    clock = new Date(clock.getTime() + 31_000);
    await counted.verify(key);
    await counted.settled();
    expect(writes).toHaveLength(2);
    expect((await lastUsed())!.getTime()).toBe(clock.getTime());
    // A fresh process (another replica) sees the recent value in the row and writes nothing.
    const fresh = new ApiKeyStore(replica, { now: () => clock });
    const before = writes.length;
    await fresh.verify(key);
    await fresh.settled();
    expect((await lastUsed())!.getTime()).toBe(clock.getTime());
    expect(writes.length).toBe(before);
  });

  it('list names, scopes and dates, never a key or a hash', async () => {
    const list = await store.list();
    expect(list.map((k) => k.name)).toEqual(expect.arrayContaining(['reporting', 'leaked', 'chatty']));
    const rows = await ds.getRepository(ApiKey).find();
    const text = JSON.stringify(list);
    for (const row of rows) expect(text).not.toContain(row.keyHash);
    expect(Object.keys(list[0]).sort()).toEqual(['createdAt', 'lastUsedAt', 'name', 'revokedAt', 'scopes']);
  });
});

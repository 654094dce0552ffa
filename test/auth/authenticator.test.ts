import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticationPlugin } from '../../src/auth/authentication.plugin.js';
import { createAuthenticator, type ApiKeyAuthenticator } from '../../src/auth/authenticator.js';
import { ADMIN, ANONYMOUS, AuthenticationError, OPEN, type Principal } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { AUDIENCE, ISSUER, sign, signingKey, unsigned, type SigningKey } from './support/tokens.js';

const ADMIN_TOKEN = 'admin-token-for-the-auth-tests-7c1d';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as Error).message;
}

describe('the authenticator', () => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  let rsa: SigningKey;
  let both: ApiKeyAuthenticator;
  let key: string;
  let revoked: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    ds = await openDatabase(db.config);
    rsa = await signingKey('k');
    const env = { AUTH_MODE: 'api-key,jwt', AUTH_JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey), AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE };
    both = createAuthenticator(loadConfig(env).auth, ds, ADMIN_TOKEN);
    key = (await both.apiKeys!.create('app', ['read:people'])).key;
    revoked = (await both.apiKeys!.create('gone', ['read:people'])).key;
    await both.apiKeys!.revoke('gone');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('takes an API key as a bearer token or in X-Api-Key, and a JWT as a bearer token', async () => {
    expect((await both.authenticate({ authorization: `Bearer ${key}` })).subject).toBe('app');
    expect((await both.authenticate({ 'x-api-key': key })).via).toBe('api-key');
    expect(await both.authenticate({ authorization: `bearer ${await sign(rsa, { scope: 'read:sync' })}` })).toMatchObject({ subject: 'user-42', via: 'jwt' });
  });

  it('makes ADMIN_TOKEN the admin in every mode, and everyone else OPEN in AUTH_MODE=none', async () => {
    expect(await both.authenticate({ authorization: `Bearer ${ADMIN_TOKEN}` })).toBe(ADMIN);
    const none = createAuthenticator(loadConfig({}).auth, ds, ADMIN_TOKEN);
    expect(await none.authenticate({ authorization: `Bearer ${ADMIN_TOKEN}` })).toBe(ADMIN);
    expect(await none.authenticate({})).toBe(OPEN);
    expect(await none.authenticate({ authorization: 'Bearer whatever', 'x-api-key': 'junk' })).toBe(OPEN);
    expect(none.apiKeys).toBeNull();
  });

  it('makes a caller without a credential ANONYMOUS, and refuses every bad credential with a reason', async () => {
    expect(await both.authenticate({})).toBe(ANONYMOUS);
    expect(await both.authenticate({ authorization: '  ' })).toBe(ANONYMOUS);
    expect(await refusal(both.authenticate({ authorization: `Bearer ${ADMIN_TOKEN}x` }))).toMatch(/^the token is malformed/);
    expect(await refusal(both.authenticate({ authorization: `Bearer ${revoked}` }))).toBe('the API key "gone" has been revoked');
    expect(await refusal(both.authenticate({ authorization: 'Basic dXNlcjpwYXNz' }))).toBe('expected "Authorization: Bearer <token>", got the Basic scheme');
    expect(await refusal(both.authenticate({ authorization: ADMIN_TOKEN }))).toBe('expected "Authorization: Bearer <token>", got another format');
    expect(await refusal(both.authenticate({ authorization: 'hunter2 x' }))).toBe('expected "Authorization: Bearer <token>", got another format');
    expect(await refusal(both.authenticate({ authorization: 'Bearer' }))).toBe('the Authorization header has an empty Bearer token');
    expect(await refusal(both.authenticate({ authorization: `Bearer ${key}`, 'x-api-key': key }))).toBe('send one credential: both Authorization and X-Api-Key were given');
    expect(await refusal(both.authenticate({ authorization: `Bearer ${unsigned({ sub: 'root' })}` }))).toMatch(/algorithm is not accepted/);
  });

  it('refuses the credential kind its mode does not take', async () => {
    const jwtOnly = createAuthenticator(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey) }).auth, ds, undefined);
    expect(await refusal(jwtOnly.authenticate({ authorization: `Bearer ${key}` }))).toBe('API keys are not accepted by this server (AUTH_MODE=jwt)');
    expect(await refusal(jwtOnly.authenticate({ 'x-api-key': key }))).toBe('API keys are not accepted by this server (AUTH_MODE=jwt)');
    const keysOnly = createAuthenticator(loadConfig({ AUTH_MODE: 'api-key' }).auth, ds, undefined);
    expect(await refusal(keysOnly.authenticate({ authorization: `Bearer ${await sign(rsa)}` }))).toMatch(/^malformed API key/);
  });
});

describe('the authentication plugin', () => {
  let db: TestDatabase;
  let ds: MirrorDataSource;
  let app: FastifyInstance;
  let rsa: SigningKey;
  let credentials: Record<string, string>;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    ds = await openDatabase(db.config);
    rsa = await signingKey('k');
    const auth = loadConfig({ AUTH_MODE: 'api-key,jwt', AUTH_JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey), AUTH_JWT_AUDIENCE: AUDIENCE }).auth;
    const authenticator = createAuthenticator(auth, ds, ADMIN_TOKEN);
    const good = (await authenticator.apiKeys!.create('web', ['read:companies'])).key;
    const revoked = (await authenticator.apiKeys!.create('old', ['read:companies'])).key;
    await authenticator.apiKeys!.revoke('old');
    const now = Math.floor(Date.now() / 1000);
    credentials = {
      good,
      revoked,
      wrongSecret: `${good.slice(0, 20)}${good[20] === 'a' ? 'b' : 'a'}${good.slice(21)}`,
      jwt: await sign(rsa, { scope: 'read:people' }),
      expired: await sign(rsa, { exp: now - 3600 }),
      otherKey: await sign(await signingKey('x')),
      admin: ADMIN_TOKEN,
      adminTypo: `${ADMIN_TOKEN}0`,
      short: 'hunter2',
    };
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
    app = Fastify({ loggerInstance: createLogger('trace', { destination }) as FastifyBaseLogger });
    await app.register(authenticationPlugin, { authenticator });
    app.get('/whoami', async (request) => ({ subject: request.principal.subject, via: request.principal.via, scopes: [...request.principal.scopes].sort() }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await db?.drop();
  });

  const whoami = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/whoami', headers });

  it('sets request.principal for every request', async () => {
    expect((await whoami({})).json()).toEqual({ subject: null, via: 'anonymous', scopes: [] });
    expect((await whoami({ 'x-api-key': credentials.good })).json()).toEqual({ subject: 'web', via: 'api-key', scopes: ['read:companies'] });
    expect((await whoami({ authorization: `Bearer ${credentials.jwt}` })).json<Principal>()).toMatchObject({ subject: 'user-42', via: 'jwt' });
    expect((await whoami({ authorization: `Bearer ${credentials.admin}` })).json<Principal>()).toMatchObject({ via: 'admin-token' });
  });

  it('answers a bad credential with 401, WWW-Authenticate: Bearer and a GraphQL-shaped error', async () => {
    const response = await whoami({ authorization: `Bearer ${credentials.expired}` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ errors: [{ message: 'the token has expired', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await whoami({ 'x-api-key': credentials.revoked })).json()).toEqual({ errors: [{ message: 'the API key "old" has been revoked', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers 503 when the key store cannot be read', async () => {
    const broken = Fastify();
    await broken.register(authenticationPlugin, {
      authenticator: createAuthenticator(loadConfig({ AUTH_MODE: 'api-key' }).auth, { getRepository: () => ({ findOneBy: () => Promise.reject(new Error('connection lost')) }) } as never, undefined),
    });
    broken.get('/', async () => 'ok');
    const response = await broken.inject({ method: 'GET', url: '/', headers: { 'x-api-key': credentials.good } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ errors: [{ message: 'the API key store could not be read; try again shortly', extensions: { code: 'AUTHENTICATION_UNAVAILABLE' } }] });
    expect(response.body).not.toContain(credentials.good);
    await broken.close();
  });

  it('never writes a credential into a response or a log line', async () => {
    const bodies: string[] = [];
    for (const credential of Object.values(credentials)) {
      for (const headers of <Record<string, string>[]>[{ authorization: `Bearer ${credential}` }, { authorization: credential }, { authorization: `Token ${credential}` }, { 'x-api-key': credential }, { authorization: `Bearer ${credential}`, 'x-api-key': credential }]) {
        const response = await whoami(headers);
        bodies.push(response.body, JSON.stringify(response.headers));
      }
    }
    const text = [...bodies, ...logs].join('\n');
    expect(logs.some((line) => line.includes('authentication refused'))).toBe(true);
    for (const [name, credential] of Object.entries(credentials)) {
      // The secret parts: an API key's after its public prefix, a JWT's signature.
      const secretPart = credential.startsWith('mg_') ? credential.slice(16) : credential.includes('.') ? credential.split('.')[2] : credential;
      expect(text.includes(credential), name).toBe(false);
      expect(text.includes(secretPart), `${name} (secret part)`).toBe(false);
    }
  });
});

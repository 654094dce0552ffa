import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationUnavailableError } from '../../src/auth/errors.js';
import { createJwtVerifier, type JwtVerifier } from '../../src/auth/jwt-verifier.js';
import { AuthenticationError } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { AUDIENCE, ISSUER, sign, signingKey, startJwksServer, unsigned, type JwksServer, type SigningKey } from './support/tokens.js';

const SECRET = 'an-hs256-secret-that-is-long-enough-0123456789';

function verifierFor(env: Record<string, string>): JwtVerifier {
  return createJwtVerifier(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, ...env }).auth.jwt!);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as Error).message;
}

describe('JWTs with a static public key', () => {
  let key: SigningKey;
  let pem: string;
  let verifier: JwtVerifier;
  beforeAll(async () => {
    key = await signingKey('k1');
    pem = await exportSPKI(key.publicKey);
    verifier = verifierFor({ AUTH_JWT_PUBLIC_KEY: pem });
  });

  it('accept a valid token: sub is the subject, known scopes from the scope string, unknown ones ignored', async () => {
    const principal = await verifier.verify(await sign(key, { scope: 'read:people read:pii billing:admin' }));
    expect(principal).toMatchObject({ subject: 'user-42', via: 'jwt' });
    expect([...principal.scopes].sort()).toEqual(['read:people', 'read:pii']);
    expect((await verifier.verify(await sign(key))).scopes.size).toBe(0);
  });

  it('refuse expired and not-yet-valid tokens, beyond the clock tolerance only', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(verifier.verify(await sign(key, { exp: now - 120 })))).toBe('the token has expired');
    expect(await refusal(verifier.verify(await sign(key, {}, { notBefore: now + 120 })))).toBe('the token is not yet valid (nbf is in the future)');
    // Within the default 30 s of tolerance: clocks drift.
    expect((await verifier.verify(await sign(key, { exp: now - 10 }))).subject).toBe('user-42');
    expect((await verifier.verify(await sign(key, {}, { notBefore: now + 10 }))).subject).toBe('user-42');
  });

  it('refuse a wrong issuer or audience', async () => {
    expect(await refusal(verifier.verify(await sign(key, { iss: 'https://evil.test/' })))).toBe(`the token's issuer is not accepted (expected ${ISSUER})`);
    expect(await refusal(verifier.verify(await sign(key, { aud: 'another-api' })))).toBe(`the token's audience is not accepted (expected ${AUDIENCE})`);
  });

  it('refuse alg none, and an HS256 token signed with the public key as its secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const none = unsigned({ iss: ISSUER, aud: AUDIENCE, sub: 'user-42', exp: now + 3600, scope: 'read:people' });
    expect(await refusal(verifier.verify(none))).toMatch(/^the token's algorithm is not accepted \(expected RS256, /);
    const confused = await sign({ secret: new TextEncoder().encode(pem) }, { scope: 'read:people' });
    expect(await refusal(verifier.verify(confused))).toMatch(/^the token's algorithm is not accepted/);
  });

  it('refuse a tampered payload or signature, another key, and a token without sub', async () => {
    const token = await sign(key, { scope: 'read:people' });
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'read:people read:pii' })).toString('base64url');
    expect(await refusal(verifier.verify(`${header}.${forged}.${signature}`))).toBe("the token's signature is not valid");
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await refusal(verifier.verify(`${header}.${payload}.${flipped}`))).toBe("the token's signature is not valid");
    expect(await refusal(verifier.verify(await sign(await signingKey('other'))))).toBe("the token's signature is not valid");
    expect(await refusal(verifier.verify(await sign(key, { sub: undefined })))).toBe('the token has no "sub" claim: a subject is required');
    expect(await refusal(verifier.verify('not-a-jwt'))).toMatch(/^the token is malformed/);
  });

  it('read scopes from an array claim when AUTH_SCOPES_CLAIM names one', async () => {
    const scp = verifierFor({ AUTH_JWT_PUBLIC_KEY: pem, AUTH_SCOPES_CLAIM: 'scp' });
    const principal = await scp.verify(await sign(key, { scp: ['read:companies', 'read:sync', 'other:thing'], scope: 'read:pii' }));
    expect([...principal.scopes].sort()).toEqual(['read:companies', 'read:sync']);
    expect(await refusal(scp.verify(await sign(key, { scp: { all: true } })))).toMatch(/"scp" claim \(AUTH_SCOPES_CLAIM\) must be a space-separated string or a list/);
  });
});

describe('JWTs with an HS256 secret', () => {
  it('accept a token signed with the secret and refuse one signed with another', async () => {
    const verifier = verifierFor({ AUTH_JWT_SECRET: SECRET, AUTH_SCOPES_CLAIM: 'permissions' });
    const good = await sign({ secret: new TextEncoder().encode(SECRET) }, { permissions: ['read:people'] });
    expect([...(await verifier.verify(good)).scopes]).toEqual(['read:people']);
    const bad = await sign({ secret: new TextEncoder().encode(`${SECRET}!`) });
    expect(await refusal(verifier.verify(bad))).toBe("the token's signature is not valid");
  });
});

describe('JWTs from a JWKS on loopback', () => {
  let jwks: JwksServer;
  let first: SigningKey;
  let second: SigningKey;
  beforeAll(async () => {
    [first, second] = await Promise.all([signingKey('key-2026-01'), signingKey('key-2026-02', 'ES256')]);
    jwks = await startJwksServer([first.jwk]);
  });
  afterAll(async () => jwks?.close());

  it('pick up a rotated-in key by its kid, refetching at most once per AUTH_JWKS_REFRESH_SECONDS', async () => {
    const verifier = verifierFor({ AUTH_JWKS_URL: jwks.url, AUTH_JWKS_REFRESH_SECONDS: '2' });
    // Signed beforehand, so that the floods below take milliseconds, well inside the cooldown.
    const stranger = await signingKey('unknown-kid');
    const strangers = await Promise.all(Array.from({ length: 20 }, () => sign(stranger)));
    const known = await Promise.all(Array.from({ length: 5 }, () => sign(first)));
    expect((await verifier.verify(known[0])).subject).toBe('user-42');
    expect(jwks.fetches).toBe(1);
    // Cached: more tokens of a known kid fetch nothing.
    for (const token of known) await verifier.verify(token);
    expect(jwks.fetches).toBe(1);
    // A flood of unknown kids inside the cooldown cannot make the server hammer the IdP.
    for (const token of strangers) expect(await refusal(verifier.verify(token))).toBe('no key in the key set matches the token (unknown kid)');
    expect(jwks.fetches).toBe(1);

    jwks.keys = [first.jwk, second.jwk];
    const rotated = await sign(second, { scope: 'read:people' });
    // Inside the cooldown the new kid is not fetched yet; once it has passed, it is.
    if (Date.now() < jwks.lastFetchAt + 1_500) expect(await refusal(verifier.verify(rotated))).toMatch(/unknown kid/);
    await new Promise((r) => setTimeout(r, Math.max(0, jwks.lastFetchAt + 2_100 - Date.now())));
    expect((await verifier.verify(rotated)).scopes.has('read:people')).toBe(true);
    expect(jwks.fetches).toBe(2);
    for (const token of strangers) await refusal(verifier.verify(token));
    expect(jwks.fetches).toBe(2);
    // The old key is still published, so its tokens still pass without another fetch.
    expect((await verifier.verify(known[1])).subject).toBe('user-42');
    expect(jwks.fetches).toBe(2);
  });

  it('answer "unavailable", not "unauthenticated", when the key set cannot be fetched', async () => {
    const verifier = verifierFor({ AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json' });
    const error = await verifier.verify(await sign(first)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationUnavailableError);
    expect((error as Error).message).toBe('the key set at AUTH_JWKS_URL could not be fetched or read');
  });
});

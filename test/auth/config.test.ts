import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/index.js';

const SECRET = 'a-very-long-hs256-secret-of-40-characters!';
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

function problems(env: Record<string, string>, needs = {}): string[] {
  try {
    loadConfig(env, needs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('loadConfig accepted the environment');
}

describe('auth settings', () => {
  it('refuse to serve in production without AUTH_MODE, saying how to choose (other commands need no mode)', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).auth.mode).toBe('none');
    const [problem, ...rest] = problems({ NODE_ENV: 'production' }, { serving: true });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^AUTH_MODE: expected none, api-key, jwt or api-key,jwt \(NODE_ENV=production needs it set explicitly; AUTH_MODE=none serves every record/);
    expect(problem).toMatch(/got nothing \(unset\)$/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'none' }, { serving: true }).auth.mode).toBe('none');
  });

  it('default to none outside production and read the mode in any order', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none', apiKeys: false, jwt: null });
    expect(loadConfig({ AUTH_MODE: 'api-key' }).auth).toEqual({ mode: 'api-key', apiKeys: true, jwt: null });
    expect(loadConfig({ AUTH_MODE: ' JWT , api-key', AUTH_JWT_SECRET: SECRET }).auth).toMatchObject({ mode: 'api-key,jwt', apiKeys: true });
    expect(problems({ AUTH_MODE: 'none,jwt' })).toEqual(['AUTH_MODE: expected none, api-key, jwt or api-key,jwt, got "none,jwt"']);
  });

  it('need exactly one JWT key source in jwt mode', () => {
    expect(problems({ AUTH_MODE: 'jwt' })[0]).toMatch(/^AUTH_JWKS_URL: expected exactly one of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY \(PEM\) or AUTH_JWT_SECRET/);
    const both = problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://idp.example/jwks' });
    expect(both[0]).toContain('got "AUTH_JWKS_URL and AUTH_JWT_SECRET"');
    expect(both.join('\n')).not.toContain(SECRET);
  });

  it('default the algorithms from the key kind and the other JWT settings', () => {
    const jwks = loadConfig({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).auth.jwt!;
    expect(jwks).toMatchObject({ key: { kind: 'jwks', url: 'https://idp.example/.well-known/jwks.json', refreshSeconds: 30 }, clockToleranceSeconds: 30, scopesClaim: 'scope', issuer: [], audience: [] });
    expect(jwks.algorithms).toEqual(expect.arrayContaining(['RS256', 'ES256', 'PS256']));
    expect(jwks.algorithms.some((a) => a.startsWith('HS'))).toBe(false);
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET }).auth.jwt!.algorithms).toEqual(['HS256']);
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: rsaPem }).auth.jwt!.algorithms).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: ecPem.replace(/\n/g, '\\n') }).auth.jwt!.algorithms).toEqual(['ES384']);
    const custom = loadConfig({
      AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'https://idp.example/', AUTH_JWT_AUDIENCE: 'mirrorgraph,crm',
      AUTH_JWT_CLOCK_TOLERANCE_SECONDS: '5', AUTH_SCOPES_CLAIM: 'permissions', AUTH_JWT_ALGORITHMS: 'HS256,HS512',
    }).auth.jwt!;
    expect(custom).toMatchObject({ issuer: ['https://idp.example/'], audience: ['mirrorgraph', 'crm'], clockToleranceSeconds: 5, scopesClaim: 'permissions', algorithms: ['HS256', 'HS512'] });
  });

  it('refuse none, HS* with a public key or a JWKS, and asymmetric algorithms with a secret', () => {
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWT_ALGORITHMS: 'HS256,none' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: expected .*"none" never.*got "none"$/);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: rsaPem, AUTH_JWT_ALGORITHMS: 'RS256,HS256' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: .*got "HS256"$/);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_JWT_ALGORITHMS: 'HS256' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: .*got "HS256"$/);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWT_ALGORITHMS: 'RS256' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: .*got "RS256"$/);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: ecPem, AUTH_JWT_ALGORITHMS: 'ES256' })[0]).toMatch(/got "ES256"$/);
  });

  it('check the keys themselves, never printing them', () => {
    const short = problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'short-secret-123' });
    expect(short).toEqual(['AUTH_JWT_SECRET: expected a secret of at least 32 bytes (e.g. openssl rand -base64 48), got ***']);
    const garbled = rsaPem.replace(/[A-Za-z0-9+/]{30}/, 'x');
    const bad = problems({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: garbled });
    expect(bad[0]).toMatch(/^AUTH_JWT_PUBLIC_KEY: expected a PEM .*, got \*\*\*$/);
    expect(bad[0]).not.toContain('BEGIN PUBLIC KEY-----\n');
  });

  it('take plain-HTTP key sets from this machine only, and bound the refresh rate', () => {
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'http://127.0.0.1:9999/jwks', AUTH_JWKS_REFRESH_SECONDS: '5' }).auth.jwt!.key).toEqual({ kind: 'jwks', url: 'http://127.0.0.1:9999/jwks', refreshSeconds: 5 });
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'http://idp.example/jwks' })).toEqual(['AUTH_JWKS_URL: expected an https:// URL (http:// only for localhost), got "http://idp.example/jwks"']);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_JWKS_REFRESH_SECONDS: '0' })[0]).toMatch(/^AUTH_JWKS_REFRESH_SECONDS: expected an integer from 1 to 86400/);
  });
});

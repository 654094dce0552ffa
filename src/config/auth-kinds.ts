/**
 * @file The kinds the auth settings hold, and the JWT key the three key settings describe.
 */
import { algorithmsForKey, ASYMMETRIC_ALGORITHMS, DEFAULT_JWKS_ALGORITHMS, HMAC_ALGORITHMS, MIN_SECRET_BYTES, normalisePem, readPublicKey } from '../auth/jwt-algorithms.js';
import { custom, httpUrl } from './kinds.js';
import type { AuthMode, JwtKeySource } from './types.js';

export const AUTH_MODES: readonly AuthMode[] = ['none', 'api-key', 'jwt', 'api-key,jwt'];
export const AUTH_MODE_EXPECTED = 'none, api-key, jwt or api-key,jwt';

/** `jwt,api-key` and `api-key, jwt` mean the same as `api-key,jwt`. */
export const authMode = custom<AuthMode>('`none`, `api-key`, `jwt` or `api-key,jwt`', (raw) => {
  const words = [...new Set(raw.toLowerCase().split(/\s*,\s*/))].sort();
  const mode = AUTH_MODES.find((m) => m === words.join(','));
  return mode ? { ok: true, value: mode } : { ok: false, expected: AUTH_MODE_EXPECTED };
});

export const jwtOn = (mode: AuthMode): boolean => mode === 'jwt' || mode === 'api-key,jwt';

/** Whoever can answer for the key set can mint tokens: plain HTTP only on this machine. */
export const jwksUrl = custom<string>('https URL', (raw) => {
  const parsed = httpUrl.parse(raw);
  if (!parsed.ok) return parsed;
  const host = new URL(parsed.value).hostname;
  if (parsed.value.startsWith('http:') && !['localhost', '127.0.0.1', '[::1]'].includes(host)) {
    return { ok: false, expected: 'an https:// URL (http:// only for localhost)', got: parsed.value };
  }
  return parsed;
});

/** A PEM public key or certificate; `\n` escapes (one-line .env values) become newlines. */
export const publicKeyPem = custom<string>('PEM', (raw) => {
  const pem = normalisePem(raw);
  const key = readPublicKey(pem);
  if (key && algorithmsForKey(key).length > 0) return { ok: true, value: pem };
  return {
    ok: false,
    expected: 'a PEM RSA, EC (P-256, P-384, P-521) or Ed25519 public key ("-----BEGIN PUBLIC KEY-----") or certificate ("-----BEGIN CERTIFICATE-----")',
    got: pem,
  };
});

export const hmacSecret = custom<string>(`string of ${MIN_SECRET_BYTES}+ bytes`, (raw) =>
  Buffer.byteLength(raw, 'utf8') >= MIN_SECRET_BYTES
    ? { ok: true, value: raw }
    : { ok: false, expected: `a secret of at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)` },
);

export const claimName = custom<string>('claim name', (raw) =>
  raw.length <= 200 ? { ok: true, value: raw } : { ok: false, expected: 'a claim name of at most 200 characters', got: raw.slice(0, 40) },
);

export const JWT_KEY_SETTINGS = ['AUTH_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_SECRET'] as const;

export interface ResolvedJwtKey {
  key: JwtKeySource;
  /** Algorithms this key can verify. */
  allowed: readonly string[];
  /** Algorithms used when AUTH_JWT_ALGORITHMS is unset. */
  defaults: readonly string[];
  /** The setting it came from, as an error names it. */
  source: string;
}

/** The one key source given and accepted, with the algorithms it allows; null otherwise. */
export function resolveJwtKey(values: {
  AUTH_JWKS_URL: string | undefined;
  AUTH_JWT_PUBLIC_KEY: string | undefined;
  AUTH_JWT_SECRET: string | undefined;
  AUTH_JWKS_REFRESH_SECONDS: number;
}): ResolvedJwtKey | null {
  const given = JWT_KEY_SETTINGS.filter((name) => values[name] !== undefined);
  if (given.length !== 1) return null;
  if (values.AUTH_JWKS_URL !== undefined) {
    return { key: { kind: 'jwks', url: values.AUTH_JWKS_URL, refreshSeconds: values.AUTH_JWKS_REFRESH_SECONDS }, allowed: ASYMMETRIC_ALGORITHMS, defaults: DEFAULT_JWKS_ALGORITHMS, source: 'AUTH_JWKS_URL' };
  }
  if (values.AUTH_JWT_PUBLIC_KEY !== undefined) {
    const algorithms = algorithmsForKey(readPublicKey(values.AUTH_JWT_PUBLIC_KEY)!);
    return { key: { kind: 'public-key', publicKey: values.AUTH_JWT_PUBLIC_KEY }, allowed: algorithms, defaults: algorithms, source: 'this AUTH_JWT_PUBLIC_KEY' };
  }
  return { key: { kind: 'secret', secret: values.AUTH_JWT_SECRET! }, allowed: HMAC_ALGORITHMS, defaults: ['HS256'], source: 'AUTH_JWT_SECRET' };
}

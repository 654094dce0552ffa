import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import type { AuthConfig } from '../config.js';
import { looksLikeApiKey } from './api-key-format.js';
import { ApiKeyStore, type ApiKeyStoreOptions } from './api-key-store.js';
import { createJwtVerifier, type JwtVerifier } from './jwt-verifier.js';
import { ADMIN, ANONYMOUS, AuthenticationError, OPEN, type Authenticator, type Principal } from './principal.js';

/**
 * Which credential a request carries and who it makes the caller:
 *  - `Authorization: Bearer <ADMIN_TOKEN>` is ADMIN in every mode;
 *  - AUTH_MODE=none: everyone else is OPEN, whatever they send;
 *  - otherwise `X-Api-Key: <key>`, or a bearer token: an API key when it looks like one
 *    (`mg_...`) and api-key mode is on, else a JWT when jwt mode is on;
 *  - nothing presented: ANONYMOUS. Anything presented and not valid: an AuthenticationError.
 */
export interface ApiKeyAuthenticator extends Authenticator {
  /** The key store (null unless api-key mode): the CLI's and the tests' handle on it. */
  readonly apiKeys: ApiKeyStore | null;
}

export type AuthenticatorOptions = ApiKeyStoreOptions;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** A header sent twice arrives as a list (or joined by Node): refuse rather than pick one. */
function single(value: string | string[] | undefined, name: string): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new AuthenticationError(`send the ${name} header once`);
    value = value[0];
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** IANA's HTTP authentication schemes, the ones a misconfigured client is likely to send. */
const KNOWN_SCHEMES = ['Basic', 'Digest', 'Negotiate', 'NTLM', 'DPoP', 'HOBA', 'Mutual', 'SCRAM-SHA-256', 'Token', 'ApiKey', 'AWS4-HMAC-SHA256'];

/** The token of `Bearer <token>`; a useful refusal for any other scheme (named only if it is a plain word). */
function bearerToken(authorization: string): string {
  const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization);
  if (match) {
    const token = match[1]?.trim();
    if (!token) throw new AuthenticationError('the Authorization header has an empty Bearer token');
    return token;
  }
  // Only a registered scheme is named: a bare token ("Authorization: <token>") must not be echoed.
  const scheme = /^(\S+)\s/.exec(authorization)?.[1].toLowerCase();
  const known = scheme ? KNOWN_SCHEMES.find((s) => s.toLowerCase() === scheme) : undefined;
  throw new AuthenticationError(`expected "Authorization: Bearer <token>", got ${known ? `the ${known} scheme` : 'another format'}`);
}

export function createAuthenticator(
  config: AuthConfig,
  dataSource: DataSource,
  adminToken: string | undefined,
  options: AuthenticatorOptions = {},
): ApiKeyAuthenticator {
  const adminDigest = adminToken ? digest(adminToken) : null;
  const isAdmin = (token: string): boolean => adminDigest !== null && timingSafeEqual(digest(token), adminDigest);
  const apiKeys = config.apiKeys ? new ApiKeyStore(dataSource, options) : null;
  const jwt: JwtVerifier | null = config.jwt ? createJwtVerifier(config.jwt) : null;
  const notAccepted = (what: string) => new AuthenticationError(`${what} not accepted by this server (AUTH_MODE=${config.mode})`);

  async function authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    const authorization = single(headers.authorization, 'Authorization');
    const apiKey = single(headers['x-api-key'], 'X-Api-Key');
    if (config.mode === 'none') {
      const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization)?.[1].trim() : undefined;
      return bearer && isAdmin(bearer) ? ADMIN : OPEN;
    }
    if (authorization === undefined && apiKey === undefined) return ANONYMOUS;
    const bearer = authorization === undefined ? undefined : bearerToken(authorization);
    if (bearer !== undefined && isAdmin(bearer)) return ADMIN;
    // Two credentials could name two callers: which one counts would be a guess.
    if (bearer !== undefined && apiKey !== undefined) throw new AuthenticationError('send one credential: both Authorization and X-Api-Key were given');
    if (apiKey !== undefined) {
      if (!apiKeys) throw notAccepted('API keys are');
      return apiKeys.verify(apiKey);
    }
    const token = bearer!;
    if (looksLikeApiKey(token)) {
      if (!apiKeys) throw notAccepted('API keys are');
      return apiKeys.verify(token);
    }
    if (jwt) return jwt.verify(token);
    // api-key mode alone: whatever this is, it is not a key ("malformed API key").
    return apiKeys!.verify(token);
  }

  return { authenticate, apiKeys };
}

import { createRemoteJWKSet, errors, importSPKI, importX509, jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config.js';
import { AuthenticationUnavailableError } from './errors.js';
import { AuthenticationError, type Principal } from './principal.js';
import { parseScopes } from './scopes.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * JWTs checked with jose: signature, `alg` among the configured ones (never `none`, never HS*
 * with a public key: the configuration refuses both), `exp`/`nbf` with a small clock tolerance,
 * `iss` and `aud` when configured, and a `sub`. Scopes come from the configured claim; names
 * this service does not know are ignored, since a token may also carry other services' scopes.
 */
export interface JwtVerifier {
  verify(token: string): Promise<Principal>;
}

/** Far above any real token, far below what would make parsing one a cost. */
const MAX_TOKEN_LENGTH = 16_384;

export function createJwtVerifier(config: JwtConfig): JwtVerifier {
  const key = keyGetter(config);
  const options = {
    algorithms: [...config.algorithms],
    issuer: config.issuer.length ? [...config.issuer] : undefined,
    audience: config.audience.length ? [...config.audience] : undefined,
    clockTolerance: config.clockToleranceSeconds,
  };
  const verified = new VerifiedTokens();
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new AuthenticationError(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
      const known = verified.get(token);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, options));
      } catch (error) {
        throw explain(error, config);
      }
      const principal = principalOf(payload, config.scopesClaim);
      verified.remember(token, principal, payload.exp);
      return principal;
    },
  };
}

function principalOf(payload: JWTPayload, scopesClaim: string): Principal {
  const sub = payload.sub;
  if (sub === undefined) throw new AuthenticationError('the token has no "sub" claim: a subject is required');
  // The subject is written to every log line of the request: no control characters.
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255 || /[\p{Cc}]/u.test(sub)) {
    throw new AuthenticationError('the token\'s "sub" claim is not a usable subject (a string of 1 to 255 printable characters)');
  }
  const claim = payload[scopesClaim];
  if (claim !== undefined && typeof claim !== 'string' && !Array.isArray(claim)) {
    throw new AuthenticationError(`the token's "${scopesClaim}" claim (AUTH_SCOPES_CLAIM) must be a space-separated string or a list of strings`);
  }
  const { scopes, unknown } = parseScopes(claim as string | unknown[] | undefined);
  return Object.freeze({ subject: sub, via: 'jwt', scopes, otherScopes: new Set(unknown) });
}

/** The key for a token's header: from the JWKS, or the one static key imported for that alg. */
function keyGetter(config: JwtConfig): JWTVerifyGetKey | Uint8Array {
  const source = config.key;
  if (source.kind === 'secret') return new TextEncoder().encode(source.secret);
  if (source.kind === 'jwks') {
    const jwks = createRemoteJWKSet(new URL(source.url), { cooldownDuration: source.refreshSeconds * 1000 });
    return async (header, token) => {
      try {
        return await jwks(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        // Fetching or reading the key set failed: the server's problem, not the token's.
        throw new AuthenticationUnavailableError('the key set at AUTH_JWKS_URL could not be fetched or read', { cause: error });
      }
    };
  }
  const pem = source.publicKey;
  const imported = new Map<string, Promise<CryptoKey>>();
  // jose imports a static key for one algorithm; jwtVerify has checked the alg is allowed by now.
  return (header) => {
    const alg = header.alg!;
    let key = imported.get(alg);
    if (!key) {
      key = pem.includes('BEGIN CERTIFICATE') ? importX509(pem, alg) : importSPKI(pem, alg);
      imported.set(alg, key);
    }
    return key;
  };
}

/** A jose failure as a sentence about the token, never quoting it. */
function explain(error: unknown, config: JwtConfig): Error {
  if (error instanceof AuthenticationUnavailableError) return error;
  if (error instanceof errors.JWTExpired) return new AuthenticationError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new AuthenticationError('the token is not yet valid (nbf is in the future)');
    if (error.claim === 'iss') return new AuthenticationError(`the token's issuer is not accepted (expected ${config.issuer.join(' or ')})`);
    if (error.claim === 'aud') return new AuthenticationError(`the token's audience is not accepted (expected ${config.audience.join(' or ')})`);
    return new AuthenticationError(`the token's "${error.claim}" claim is not valid (${error.reason})`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthenticationError(`the token's algorithm is not accepted (expected ${config.algorithms.join(', ')})`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthenticationError('the token\'s signature is not valid');
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthenticationError('no key in the key set matches the token (unknown kid)');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return new AuthenticationError('several keys in the key set match the token: it needs a kid');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new AuthenticationError('the token is malformed: expected a signed JWT (three base64url parts)');
  // A key that cannot verify this alg (an EC key asked for RS256), or an unsupported header.
  if (error instanceof errors.JOSEError) return new AuthenticationError('the token cannot be verified with the configured key');
  return error instanceof Error ? error : new Error(String(error));
}

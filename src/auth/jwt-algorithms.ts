import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Which JWS algorithms may verify a token for each kind of key. Kept apart from the verifier so
 * that the configuration can refuse a bad combination at start, before any token arrives.
 */

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** What a JWKS may hold, by default: the RSA, RSA-PSS and EC families (EdDSA only when asked for). */
export const DEFAULT_JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

/** RFC 7518 §3.2: an HMAC key at least as long as the hash, so HS256 wants 32 bytes. */
export const MIN_SECRET_BYTES = 32;

const EC_CURVE_ALGORITHM: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** Env files often carry a PEM on one line with literal `\n`s. */
export const normalisePem = (value: string): string => value.replace(/\\n/g, '\n').trim();

/** The public key in a PEM (SPKI `PUBLIC KEY` or an X.509 `CERTIFICATE`), or null when it is neither. */
export function readPublicKey(pem: string): KeyObject | null {
  if (!/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(pem)) return null;
  try {
    return createPublicKey(pem);
  } catch {
    return null;
  }
}

/** The algorithms a public key can verify: RSA keys the RS and PS families, an EC key its curve's ES. */
export function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const alg = EC_CURVE_ALGORITHM[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return alg ? [alg] : [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

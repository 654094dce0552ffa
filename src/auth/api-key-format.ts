import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The shape of an API key: `mg_<prefix>_<secret>`, a 12-hex-digit prefix (6 random bytes, used
 * only to find the row) and a 43-character base64url secret (32 random bytes).
 *
 * Only SHA-256 of the key is stored. A slow hash (bcrypt, scrypt, argon2) protects secrets a
 * person chose, which are guessable; this one holds 256 random bits, so a stolen hash cannot be
 * reversed by guessing at any speed, and a fast hash keeps a key check to one digest per request.
 */

const KEY_PATTERN = /^mg_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const API_KEY_SHAPE = 'mg_<12 hex digits>_<43 base64url characters>';

/** Starts like an API key: decides whether a bearer token is tried as a key or as a JWT. */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith('mg_');

export interface ParsedApiKey {
  prefix: string;
}

/** The prefix of a well-formed key, or null. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : null;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Constant-time comparison of a presented key with a stored hash (both 32-byte digests). */
export function keyMatchesHash(key: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(key, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `mg_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

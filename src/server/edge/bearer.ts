import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether an `Authorization` header carries `Bearer <expected>`. Compared in constant time: both
 * sides are hashed first, so neither the token's content nor its length shows in the timing.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(expected)) && presented !== '';
}

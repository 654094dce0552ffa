import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden, unauthenticated } from './errors.js';

/**
 * Guards admin operations. The token and the presented header live only in this closure, so
 * logging or serialising a context cannot reveal them; messages never echo either.
 */
export interface AdminGate {
  /** Throws FORBIDDEN when no ADMIN_TOKEN is configured, UNAUTHENTICATED when the bearer token is missing or wrong. */
  require(action: string): void;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function createAdminGate(adminToken: string | undefined, authorization: string | undefined): AdminGate {
  return {
    require(action) {
      if (!adminToken) throw forbidden(`${action} is disabled: set ADMIN_TOKEN on the server to enable it`);
      const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
      // Equal-length digests: the comparison takes the same time whatever the token's length or content.
      if (!match || !timingSafeEqual(digest(match[1]), digest(adminToken))) {
        throw unauthenticated(`${action} needs the header "Authorization: Bearer <ADMIN_TOKEN>"`);
      }
    },
  };
}

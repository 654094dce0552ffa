import type { IncomingHttpHeaders } from 'node:http';
import { ALL_SCOPES, SCOPES, type Scope } from './scopes.js';

/** Who is asking, as every check sees it. Never holds the credential itself. */
export interface Principal {
  /** The API key's name or the token's `sub`; null when anonymous or when AUTH_MODE=none. */
  readonly subject: string | null;
  /** How the caller was recognised. */
  readonly via: 'open' | 'anonymous' | 'admin-token' | 'api-key' | 'jwt';
  readonly scopes: ReadonlySet<Scope>;
  /**
   * Scopes the credential carries that this service does not define (a token issued for the
   * whole graph): the gateway checks other subgraphs' `@requiresScopes` against them.
   */
  readonly otherScopes?: ReadonlySet<string>;
}

/**
 * AUTH_MODE=none: the demo's and development's default; everything is readable, nothing is
 * writable (a resync still needs ADMIN_TOKEN or a credential with `sync:write`).
 */
export const OPEN: Principal = Object.freeze({ subject: null, via: 'open', scopes: new Set<Scope>(SCOPES.filter((s) => s !== 'sync:write')) });

/** No credential presented in a mode that needs one: nothing is readable. */
export const ANONYMOUS: Principal = Object.freeze({ subject: null, via: 'anonymous', scopes: new Set<Scope>() });

/** ADMIN_TOKEN as a bearer token holds every scope. */
export const ADMIN: Principal = Object.freeze({ subject: 'admin-token', via: 'admin-token', scopes: ALL_SCOPES });

export const holds = (principal: Principal, scope: Scope): boolean => principal.scopes.has(scope);

/**
 * Whether the caller holds a scope of any subgraph's: ours as `holds` says, another's when the
 * credential carries it. AUTH_MODE=none opens every read, ours and theirs; ADMIN_TOKEN holds all.
 */
export const grants = (principal: Principal, scope: string): boolean =>
  principal.via === 'open' || principal.via === 'admin-token' || (principal.scopes as ReadonlySet<string>).has(scope) || (principal.otherScopes?.has(scope) ?? false);

/**
 * Recognises the caller of one HTTP request. Resolves with ANONYMOUS when no credential was
 * presented; rejects with an AuthenticationError when one was presented and is not valid
 * (wrong, expired, revoked): a bad credential is a 401, never a silent downgrade.
 */
export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
}

/** A presented credential that is not valid. The message names what is wrong, never the credential. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

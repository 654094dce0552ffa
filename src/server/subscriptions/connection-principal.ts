import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError, type Authenticator, type Principal } from '../../auth/principal.js';

/** The credential fields a graphql-ws client may send in connection_init's payload, as the HTTP headers they stand for. */
const PARAM_HEADERS: readonly (readonly [param: string, header: 'authorization' | 'x-api-key'])[] = [
  ['Authorization', 'authorization'],
  ['authorization', 'authorization'],
  ['X-Api-Key', 'x-api-key'],
  ['x-api-key', 'x-api-key'],
];

/**
 * Who a subscription connection is: the credential in `connectionParams` (browsers cannot set
 * headers on a WebSocket), checked by the same authenticator as HTTP; without one, the
 * principal the upgrade request's headers made (the authentication hook ran on it).
 * Throws AuthenticationError for a credential that is not valid.
 */
export async function connectionPrincipal(authenticator: Authenticator, params: Readonly<Record<string, unknown>> | undefined, upgrade: Principal): Promise<Principal> {
  const headers: IncomingHttpHeaders = {};
  for (const [param, header] of PARAM_HEADERS) {
    const value = params?.[param];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new AuthenticationError(`connectionParams.${param} must be a string such as "Bearer <token>"`);
    if (headers[header] !== undefined) throw new AuthenticationError(`send connectionParams.${param} once`);
    headers[header] = value;
  }
  if (Object.keys(headers).length === 0) return upgrade;
  return authenticator.authenticate(headers);
}

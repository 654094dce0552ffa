/**
 * The credential could not be checked (the key store or the JWKS endpoint is down): a 503, not
 * a 401, since the caller's credential may well be good. The message names the failing part.
 */
export class AuthenticationUnavailableError extends Error {
  override name = 'AuthenticationUnavailableError';
}

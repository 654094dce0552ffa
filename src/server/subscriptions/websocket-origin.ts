import type { FastifyRequest } from 'fastify';

/**
 * Whether a WebSocket upgrade may proceed from where it comes. A browser lets any page open a
 * WebSocket anywhere and read the answers (no CORS, no preflight), so the page's origin is
 * checked here as CORS checks it for HTTP: the server's own origin (GraphiQL) and CORS_ORIGINS
 * pass; a request without an Origin header is not a browser's, and passes as it does over HTTP.
 */
export function mayUpgradeFrom(request: FastifyRequest, corsOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (corsOrigins.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && host === request.headers.host;
}

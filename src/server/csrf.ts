import type { FastifyRequest } from 'fastify';

/** The content types a browser may send cross-site without a preflight. */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'] as const;

/**
 * Apollo Server's CSRF rule, for the route Apollo does not serve (the gateway's `/graphql`), so
 * both answer the same requests: a request a browser could send cross-site without a preflight
 * (a GET, or a POST of a simple content type) runs only with a header no such request can carry.
 */
export function couldBeCrossSiteForgery(request: FastifyRequest): boolean {
  if (PREFLIGHT_HEADERS.some((name) => (request.headers[name] ?? '') !== '')) return false;
  const type = request.headers['content-type'];
  if (type === undefined) return true;
  return SIMPLE_TYPES.has(type.split(';')[0]!.trim().toLowerCase());
}

export const CSRF_MESSAGE =
  "This request has been blocked as a possible cross-site request forgery: send a 'content-type' that is not text/plain, application/x-www-form-urlencoded or multipart/form-data, or a non-empty 'apollo-require-preflight' header (a GET needs the header)";

import type { FastifyInstance } from 'fastify';
import { excerpt } from '../../errors/excerpt.js';
import { GRAPHQL_ROUTES } from '../graphql.routes.js';
import { readGraphQLParams } from './graphql-params.js';
import { operationNameOf } from './operation-name.js';
import { principalOf } from './principal-of.js';
import { QUIET_ROUTES, routeOf } from './probes.js';

/**
 * One `access` line per request, once the response is sent: method, path, status, duration, the
 * caller's subject (key name or token `sub`; null when anonymous) and how it was recognised, and
 * for `/graphql` the operation name. Never a header, a credential or the query string: the path
 * is logged without it, and every value that came from the client is cut to an excerpt.
 * Probes and scrapes that succeed are left out, as in Fastify's own request logging.
 */
export function installAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    if (QUIET_ROUTES.has(route ?? '') && status < 400) return;
    const principal = principalOf(request);
    let operationName: string | null = null;
    if (GRAPHQL_ROUTES.has(route ?? '')) {
      const params = readGraphQLParams(request);
      operationName = operationNameOf(params.operationName, params.query);
    }
    request.log.info(
      {
        method: request.method,
        path: excerpt(request.url.split('?')[0] ?? '', 300),
        statusCode: status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        subject: principal?.subject ?? null,
        via: principal?.via ?? null,
        operationName,
      },
      'access',
    );
  });
}

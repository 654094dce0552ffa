import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify';
import { excerpt } from '../../errors/excerpt.js';
import { refuseAsGraphQL } from '../edge/graphql-refusal.js';
import { mayUpgradeFrom } from './websocket-origin.js';

/** The WebSocket side of `GET /graphql`: graphql-ws, for browsers of these origins (and the server's own). */
export interface SubscriptionRoute {
  handler: WebsocketHandler;
  corsOrigins: readonly string[];
}

/**
 * `GET <path>`: `handler` for HTTP and, given `subscriptions`, the WebSocket handler for an
 * upgrade (@fastify/websocket dispatches between them after every hook has run, so an upgrade
 * is authenticated and rate-limited like any request), refused with 403 from an origin CORS
 * would not let read the answers.
 */
export function getRoute(path: string, handler: RouteHandlerMethod, subscriptions: SubscriptionRoute | undefined): RouteOptions {
  if (!subscriptions) return { method: 'GET', url: path, handler };
  const { corsOrigins } = subscriptions;
  return {
    method: 'GET',
    url: path,
    handler,
    wsHandler: subscriptions.handler,
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.ws || mayUpgradeFrom(request, corsOrigins)) return;
      const origin = excerpt(request.headers.origin ?? '', 100);
      return refuseAsGraphQL(request, reply, 403, 'FORBIDDEN', `WebSocket connections from ${JSON.stringify(origin)} are not allowed: expected this server's own origin or one of CORS_ORIGINS`);
    },
  };
}

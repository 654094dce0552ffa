import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { GraphQLContext } from '../schema/context.js';
import { CSRF_MESSAGE, couldBeCrossSiteForgery } from '../server/csrf.js';
import { refuseAsGraphQL } from '../server/edge/graphql-refusal.js';
import { GRAPHQL_PATH, graphqlRouteErrorHandler, wantsLandingPage } from '../server/graphql.routes.js';
import { getRoute, type SubscriptionRoute } from '../server/subscriptions/websocket-route.js';
import type { MirrorGateway } from './gateway.js';
import { startRequestTimer } from './plugins/response.plugin.js';

export interface GatewayRoutesOptions {
  gateway: MirrorGateway;
  context: (request: FastifyRequest) => Promise<GraphQLContext>;
  /** Answers a browser's `GET /graphql` (Accept: text/html, no `query`). */
  landingPage?: RouteHandlerMethod;
  /**
   * `recordsChanged` over WebSocket on `/graphql`. Our subgraph owns the graph's only
   * subscription, so it runs on our schema in process, as `/subgraph` would run it.
   */
  subscriptions?: SubscriptionRoute;
}

const operationNameIn = (value: unknown): string | undefined => {
  const name = typeof value === 'object' && value !== null ? (value as { operationName?: unknown }).operationName : undefined;
  return typeof name === 'string' ? name : undefined;
};

/**
 * `POST /graphql` and `GET /graphql` served by the gateway: the request (body already parsed by
 * Fastify, and possibly rewritten by the trusted-documents hook) goes to the runtime with our
 * resolvers' context for the caller, and the runtime's response is sent as Fastify's reply.
 */
export async function gatewayRoutes(app: FastifyInstance, options: GatewayRoutesOptions): Promise<void> {
  const { gateway, context, landingPage, subscriptions } = options;
  app.setErrorHandler(graphqlRouteErrorHandler);

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    if (couldBeCrossSiteForgery(request)) return refuseAsGraphQL(request, reply, 400, 'BAD_REQUEST', CSRF_MESSAGE);
    const serverContext = { mirror: await context(request), operationName: operationNameIn(request.body) ?? operationNameIn(request.query), stopTimer: startRequestTimer() };
    const response = await gateway.runtime.handleNodeRequestAndResponse(request, reply, serverContext);
    response.headers.forEach((value, key) => void reply.header(key, value));
    reply.status(response.status);
    // A single JSON result is sent whole (the runtime holds it as text); piping it through a web
    // stream costs more than the answer. Anything else (an event stream) is streamed.
    if (/json/.test(response.headers.get('content-type') ?? '')) return reply.send(await response.text());
    return reply.send(response.body);
  };

  app.post(GRAPHQL_PATH, serve);
  const get: RouteHandlerMethod = function (request, reply) {
    return landingPage && wantsLandingPage(request) ? landingPage.call(this, request, reply) : serve(request, reply);
  };
  app.route(getRoute(GRAPHQL_PATH, get, subscriptions));
}

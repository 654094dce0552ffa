import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { GraphQLContext } from '../schema/context.js';
import { getRoute, type SubscriptionRoute } from './subscriptions/websocket-route.js';

export interface GraphQLRoutesOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** `/graphql`, or `/subgraph` (ours alone, for external routers, when `/graphql` is the gateway's). */
  path: typeof GRAPHQL_PATH | typeof SUBGRAPH_PATH;
  context: (request: FastifyRequest) => Promise<GraphQLContext>;
  /** Answers a browser's `GET /graphql` (Accept: text/html, no `query`); without it Apollo answers (400). */
  landingPage?: RouteHandlerMethod;
  /** `recordsChanged` over WebSocket on the same path (only `/graphql`). */
  subscriptions?: SubscriptionRoute;
}

export const GRAPHQL_PATH = '/graphql';
/** Our own subgraph, always: for Apollo Router or Hive Gateway run by the user. */
export const SUBGRAPH_PATH = '/subgraph';
/** Every route that runs GraphQL: the edge (trusted documents, access log) covers each. */
export const GRAPHQL_ROUTES: ReadonlySet<string> = new Set([GRAPHQL_PATH, SUBGRAPH_PATH]);

/** A browser opening the endpoint: wants HTML and sends no operation. */
export function wantsLandingPage(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return /\btext\/html\b/.test(request.headers.accept ?? '') && !query?.query;
}

/**
 * `POST /graphql` and `GET /graphql` (queries only, per GraphQL over HTTP), in their own
 * encapsulated scope: the error handler here renders body-parsing failures as GraphQL
 * errors and leaves other routes' error handling alone.
 */
export async function graphqlRoutes(app: FastifyInstance, options: GraphQLRoutesOptions): Promise<void> {
  // Typed as a plain handler so the GET route can choose between it and the landing page.
  const apolloHandler = fastifyApolloHandler<GraphQLContext>(options.apollo, { context: options.context }) as RouteHandlerMethod;
  const landingPage = options.landingPage;

  app.setErrorHandler(graphqlRouteErrorHandler);

  app.post(options.path, apolloHandler);
  const get: RouteHandlerMethod = function (request, reply) {
    return landingPage && wantsLandingPage(request) ? landingPage.call(this, request, reply) : apolloHandler.call(this, request, reply);
  };
  app.route(getRoute(options.path, get, options.subscriptions));
}

/** Body-parsing failures (and anything else thrown before GraphQL runs) as GraphQL errors. */
export function graphqlRouteErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'GraphQL route failed');
  const message = status === 500 ? 'Internal server error' : error.message;
  const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { code, requestId: request.id } }] });
}

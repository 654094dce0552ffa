import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { GraphQLContext } from '../schema/context.js';

export interface GraphQLRoutesOptions {
  apollo: ApolloServer<GraphQLContext>;
  context: (request: FastifyRequest) => Promise<GraphQLContext>;
  /** Answers a browser's `GET /graphql` (Accept: text/html, no `query`); without it Apollo answers (400). */
  landingPage?: RouteHandlerMethod;
}

export const GRAPHQL_PATH = '/graphql';

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

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'GraphQL route failed');
    const message = status === 500 ? 'Internal server error' : error.message;
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    return reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send({ errors: [{ message, extensions: { code, requestId: request.id } }] });
  });

  app.post(GRAPHQL_PATH, apolloHandler);
  app.get(GRAPHQL_PATH, function (request, reply) {
    return landingPage && wantsLandingPage(request) ? landingPage.call(this, request, reply) : apolloHandler.call(this, request, reply);
  });
}

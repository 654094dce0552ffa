import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import { handleProtocols } from 'graphql-ws';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest, type RouteHandlerMethod } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import { ChangeFeed } from '../changes/change-feed.js';
import { ChangeLogReader } from '../changes/change-log.reader.js';
import { createReadPool } from '../db/read-pool.js';
import { authenticationPlugin, createAuthenticator } from '../auth/index.js';
import { QUIET_ROUTES, routeOf } from './edge/probes.js';
import type { Logger } from '../logger.js';
import { buildMirrorSchema } from '../schema/build-schema.js';
import { createContext, type GraphQLContext } from '../schema/context.js';
import type { SyncController } from '../sync/controller.js';
import { createApollo } from './apollo.js';
import { ApolloLifecycle } from './apollo-lifecycle.js';
import { installEdge } from './edge/index.js';
import { GRAPHQL_PATH, graphqlRoutes, SUBGRAPH_PATH } from './graphql.routes.js';
import { gatewayRoutes } from '../gateway/gateway.routes.js';
import type { MirrorGateway } from '../gateway/index.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import { WebhookInbox } from '../webhooks/inbox.js';
import { receiverRoutes, WEBHOOK_PATH } from '../webhooks/receiver.routes.js';
import { WebhookSubscriptionStore } from '../webhooks/subscription.store.js';
import { subscriptionHandler } from './subscriptions/graphql-ws.handler.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The feed `recordsChanged` reads: `wake()` it after a commit in this process. */
    changeFeed: ChangeFeed;
  }
}

/** Health probes and scrapes come every few seconds: an access log line each would drown the rest. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const isProbe = (request: { url?: string }): boolean => PROBE_PATHS.has((request.url ?? '').split('?')[0] ?? '');

export interface ServerOptions {
  config: Readonly<AppConfig>;
  dataSource: DataSource;
  sync: SyncController;
  logger: Logger;
  /**
   * Fastify plugins registered before the GraphQL routes, each in its own scope: `/healthz`,
   * `/readyz`, `/metrics`, static files. Wrap one in `fastify-plugin` to add root-level hooks.
   */
  plugins?: readonly FastifyPluginAsync[];
  /** Handler for a browser's `GET /graphql` (Accept: text/html, no `query`): the GraphiQL page. */
  graphqlLandingPage?: RouteHandlerMethod;
  /** With SUPERGRAPH_CONFIG (see src/gateway/index.ts): `/graphql` serves the supergraph through it; closed with the server. */
  gateway?: MirrorGateway | null;
  /** The feed `recordsChanged` reads (see src/changes/change-feed.ts); default: one of the server's own. Closed with the server either way. */
  changeFeed?: ChangeFeed;
  /** Called when a webhook notification for `resource` is in the inbox (the apply worker's nudge). */
  onWebhookAccepted?: (resource: RecordResourceName) => void;
}

/** The largest message a subscription socket takes: a subscribe message is a document and its variables. */
const MAX_WEBSOCKET_MESSAGE_BYTES = 1_048_576;

/**
 * The HTTP server, not listening: GraphQL at `POST /graphql` and `GET /graphql` (our subgraph,
 * or the supergraph when a gateway is given), our subgraph always at `/subgraph`, CORS from
 * `CORS_ORIGINS`, a random request id per request (in the `x-request-id` response header,
 * every log line of the request and every GraphQL error), and `recordsChanged` over WebSocket
 * (graphql-ws) on `/graphql`. Closing it stops Apollo and the change feed.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { config, dataSource, sync, logger } = options;
  const app: FastifyInstance = Fastify({ loggerInstance: logger as FastifyBaseLogger, genReqId: () => randomUUID(), logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: isProbe }) });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(cors, {
    origin: config.server.corsOrigins.length ? [...config.server.corsOrigins] : false,
    methods: ['GET', 'POST'],
    exposedHeaders: ['x-request-id'],
  });
  // Who is asking, for every request (request.principal), before the edge and any route.
  const authenticator = createAuthenticator(config.auth, dataSource, config.server.adminToken, {
    onTouchError: (error) => logger.warn({ err: error }, 'could not record when an API key was last used'),
  });
  // Before any route: it sees routes as they are added, to give `GET /graphql` its WebSocket side.
  // graphql-ws's protocol choice, from the first handshake on (its starter sets it at the first connection).
  await app.register(websocket, { options: { maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES, handleProtocols } });
  // The webhook receiver authenticates by the subscription's secret, not a bearer credential.
  await app.register(authenticationPlugin, { authenticator, exempt: (request) => QUIET_ROUTES.has(routeOf(request) ?? '') || routeOf(request) === WEBHOOK_PATH });
  // Edge: rate limit, trusted documents, access log; root hooks, before every route.
  const { subscriptionGate } = await installEdge(app, config.edge);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.register(receiverRoutes, { subscriptions: new WebhookSubscriptionStore(dataSource), inbox: new WebhookInbox(dataSource), onAccepted: options.onWebhookAccepted });

  const lifecycle = new ApolloLifecycle(app);
  const schema = await buildMirrorSchema();
  const apollo = createApollo(schema, config.server, lifecycle, logger);
  await apollo.start();
  lifecycle.stopWithFastify(apollo);

  const reads = createReadPool(dataSource, config.reads);
  app.addHook('onClose', () => reads.close());
  const changeLog = new ChangeLogReader(dataSource);
  const changeFeed = options.changeFeed ?? new ChangeFeed(changeLog, { pollMs: config.changes.feedPollMs, maxSubscribers: config.subscriptions.max, logger });
  app.decorate('changeFeed', changeFeed);
  app.addHook('onClose', () => changeFeed.close());
  const deps = { dataSource, reads, sync, server: config.server, logger, changes: { log: changeLog, feed: changeFeed, maxQueued: config.subscriptions.maxQueuedChanges, stallMs: config.subscriptions.stallTimeoutMs } };
  const context = async (request: FastifyRequest): Promise<GraphQLContext> =>
    createContext(deps, { requestId: request.id, principal: request.principal });
  const subscriptions = {
    handler: subscriptionHandler({ schema, authenticator, context: (facts) => createContext(deps, facts), config, logger, trustedDocuments: subscriptionGate }),
    corsOrigins: config.server.corsOrigins,
  };
  await app.register(graphqlRoutes, { apollo, context, path: SUBGRAPH_PATH });
  const gateway = options.gateway;
  if (gateway) {
    app.addHook('onClose', () => gateway.close());
    await app.register(gatewayRoutes, { gateway, context, landingPage: options.graphqlLandingPage, subscriptions });
  } else {
    await app.register(graphqlRoutes, { apollo, context, path: GRAPHQL_PATH, landingPage: options.graphqlLandingPage, subscriptions });
  }
  return app;
}

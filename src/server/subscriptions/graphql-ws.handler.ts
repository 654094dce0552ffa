import { randomUUID } from 'node:crypto';
import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { makeServer, type Context } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { holds, AuthenticationError, type Authenticator, type Principal } from '../../auth/principal.js';
import { AuthenticationUnavailableError } from '../../auth/errors.js';
import { RECORD_RESOURCE_NAMES } from '../../resources/resource-table.js';
import { readScopeOf } from '../../auth/scopes.js';
import type { AppConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { GraphQLContext, RequestFacts, SubscriberConnection } from '../../schema/context.js';
import type { SubscriptionGate } from '../edge/trusted-documents.js';
import { logGraphQLError, maskError } from '../plugins/errors.plugin.js';
import { CLOSE, closeReason } from './close-codes.js';
import { connectionPrincipal } from './connection-principal.js';
import { subscriptionChecker } from './subscription-operation.js';

export interface SubscriptionHandlerOptions {
  schema: GraphQLSchema;
  authenticator: Authenticator;
  context: (facts: RequestFacts) => GraphQLContext;
  config: Readonly<Pick<AppConfig, 'server' | 'subscriptions' | 'auth'>>;
  logger: Logger;
  /** TRUSTED_DOCUMENTS for each subscribe message (the upgrade request carried no document); null: any document. */
  trustedDocuments?: SubscriptionGate | null;
  /** Ping interval; a socket that does not answer within it is terminated. */
  keepAliveMs?: number;
}

/** What graphql-ws keeps per connection for us. */
interface Connection {
  readonly socket: WebSocket;
  readonly request: FastifyRequest;
  principal: Principal;
  readonly closer: SubscriberConnection;
}

/**
 * The graphql-ws server (protocol graphql-transport-ws) on a Fastify WebSocket route, as
 * graphql-ws's own @fastify/websocket starter does it, plus what this service needs:
 * authentication at connection_init, subscriptions only, masked errors, and a send buffer
 * bounded per socket (a slow client is closed with 1013 and resumes with its cursor).
 */
export function subscriptionHandler(options: SubscriptionHandlerOptions): WebsocketHandler {
  const { schema, authenticator, config, logger } = options;
  const check = subscriptionChecker(schema, config.server);
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const contexts = new Map<string, GraphQLContext>();
  const server = makeServer<Record<string, unknown> | undefined, Connection>({
    schema,
    connectionInitWaitTimeout: 5_000,
    async onConnect(ctx) {
      return admit(ctx, authenticator, config.auth.mode, logger);
    },
    onSubscribe(ctx, id, payload) {
      const refusal = options.trustedDocuments?.(payload.query, ctx.extra.principal);
      if (refusal) return [new GraphQLError(refusal.message, { extensions: { code: refusal.code } })];
      const checked = check(payload);
      if ('errors' in checked) return checked.errors;
      const context = options.context({ requestId: randomUUID(), principal: ctx.extra.principal, connection: ctx.extra.closer });
      contexts.set(`${ctx.extra.request.id}:${id}`, context);
      return { schema, document: checked.document, operationName: checked.operationName, variableValues: checked.variables, contextValue: context };
    },
    onNext(ctx, id, payload, _args, result) {
      if (!result.errors?.length) return;
      const context = contexts.get(`${ctx.extra.request.id}:${id}`);
      for (const error of result.errors) logGraphQLError(context?.logger ?? logger, error, payload.operationName ?? undefined, { transport: 'websocket' });
      return { ...result, errors: result.errors.map((error) => maskError(error.toJSON(), config.server.maskErrors, context?.requestId)) };
    },
    onError(ctx, id, payload, errors) {
      const context = contexts.get(`${ctx.extra.request.id}:${id}`);
      for (const error of errors) logGraphQLError(context?.logger ?? logger, error, payload.operationName ?? undefined, { transport: 'websocket' });
      return errors.map((error) => maskError(error.toJSON(), config.server.maskErrors, context?.requestId));
    },
    onComplete(ctx, id) {
      contexts.delete(`${ctx.extra.request.id}:${id}`);
    },
  });

  return function handler(socket, request) {
    const closeAsSlow = (reason: string) => socket.close(CLOSE.tryAgainLater, closeReason(reason));
    const extra: Connection = { socket, request, principal: request.principal, closer: { closeAsSlow } };
    const stopKeepAlive = keepAlive(socket, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            if (socket.bufferedAmount > config.subscriptions.maxBufferedBytes) {
              closeAsSlow(`more than ${config.subscriptions.maxBufferedBytes} bytes waited to be sent (SUBSCRIPTION_MAX_BUFFERED_BYTES): resubscribe with the last cursor`);
              return resolve();
            }
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (receive) =>
          socket.on('message', (data) => {
            receive(String(data)).catch((error: unknown) => {
              logger.error({ err: error }, 'a subscription message could not be handled');
              socket.close(1011, 'Internal server error');
            });
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      stopKeepAlive();
      void closed(code, String(reason));
    });
  };
}

/**
 * connection_init: the credential is checked; a connection that could read nothing is refused
 * now, not at each subscribe. Returning false closes with 4403; other refusals close here.
 */
async function admit(ctx: Context<Record<string, unknown> | undefined, Connection>, authenticator: Authenticator, mode: AppConfig['auth']['mode'], logger: Logger): Promise<boolean> {
  const { socket } = ctx.extra;
  try {
    ctx.extra.principal = await connectionPrincipal(authenticator, ctx.connectionParams ?? undefined, ctx.extra.principal);
  } catch (error) {
    if (error instanceof AuthenticationError) {
      logger.info({ reason: error.message, transport: 'websocket' }, 'authentication refused');
      socket.close(CLOSE.unauthorized, closeReason(`Unauthorized: ${error.message}`));
      return false;
    }
    if (error instanceof AuthenticationUnavailableError) {
      logger.error({ reason: error.message, transport: 'websocket' }, 'authentication unavailable');
      socket.close(CLOSE.tryAgainLater, closeReason(`${error.message}; try again shortly`));
      return false;
    }
    throw error;
  }
  const principal = ctx.extra.principal;
  if (principal.via === 'anonymous' && mode !== 'none') {
    socket.close(CLOSE.unauthorized, closeReason('Unauthorized: send connectionParams {"Authorization": "Bearer <API key or token>"}'));
    return false;
  }
  if (!RECORD_RESOURCE_NAMES.some((resource) => holds(principal, readScopeOf(resource)))) {
    socket.close(CLOSE.forbidden, closeReason(`Forbidden: ${principal.subject ?? 'this credential'} holds no read:<resource> scope`));
    return false;
  }
  return true;
}

/** Pings every interval; a socket that has not answered the last ping by the next one is terminated. */
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

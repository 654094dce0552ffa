import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthenticationUnavailableError } from './errors.js';
import { ANONYMOUS, AuthenticationError, type Authenticator, type Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: set for every request before any route or GraphQL resolver runs. */
    principal: Principal;
  }
}

export interface AuthenticationPluginOptions {
  authenticator: Authenticator;
  /**
   * Requests no credential is checked for (health probes; `/metrics`, which has METRICS_TOKEN of
   * its own): their caller is ANONYMOUS, and a header meant for them is never refused as a
   * wrong API key or JWT.
   */
  exempt?: (request: FastifyRequest) => boolean;
}

/** A body a GraphQL client reads like any other error response. */
function refuse(reply: FastifyReply, status: 401 | 503, message: string, code: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="mirrorgraph", error="invalid_token"');
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { code } }] });
}

/**
 * Recognises the caller of every request in an `onRequest` hook, at the root (wrapped with
 * fastify-plugin, so it covers routes registered beside it), and sets `request.principal`.
 * A credential that is presented and not valid is a 401 before any route runs; one that cannot
 * be checked right now (database or JWKS down) a 503. Log lines carry the reason, never the
 * credential.
 */
const plugin: FastifyPluginAsync<AuthenticationPluginOptions> = async (app, { authenticator, exempt }) => {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    request.principal = ANONYMOUS;
    if (exempt?.(request)) return;
    try {
      request.principal = await authenticator.authenticate(request.headers);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        request.log.info({ reason: error.message }, 'authentication refused');
        return refuse(reply, 401, error.message, 'UNAUTHENTICATED');
      }
      if (error instanceof AuthenticationUnavailableError) {
        request.log.error({ reason: error.message, cause: error.cause instanceof Error ? error.cause.message : undefined }, 'authentication unavailable');
        return refuse(reply, 503, `${error.message}; try again shortly`, 'AUTHENTICATION_UNAVAILABLE');
      }
      throw error;
    }
  });
};

export const authenticationPlugin = fp(plugin, { name: 'mirrorgraph-authentication', fastify: '5.x' });

import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Refuses a request before it reaches Apollo, in the shape GraphQL clients read errors in:
 * `{errors:[{message, extensions:{code, requestId}}]}`. Returns the reply, as a Fastify hook
 * that answers must.
 */
export function refuseAsGraphQL(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { code, requestId: request.id } }] });
}

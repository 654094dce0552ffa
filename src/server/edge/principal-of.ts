import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';

/**
 * The caller the authentication plugin recognised (`request.principal`, set in its `onRequest`
 * hook), or undefined when no such plugin ran. Read through this one function so the edge does
 * not depend on who declares the request property.
 */
export const principalOf = (request: FastifyRequest): Principal | undefined =>
  (request as FastifyRequest & { principal?: Principal }).principal;

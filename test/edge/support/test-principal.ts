import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ANONYMOUS, type Principal } from '../../../src/auth/principal.js';
import { ALL_SCOPES, parseScopes } from '../../../src/auth/scopes.js';

/**
 * Stands in for the authentication plugin: sets `request.principal` in a root `onRequest` hook
 * from test headers (`x-test-subject` with `x-test-scopes`, or `x-test-open`). Without them the caller is
 * ANONYMOUS. Root-level (skip-override, as fastify-plugin does), so every route sees it.
 */
export const testPrincipalPlugin: FastifyPluginAsync = Object.assign(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      let principal: Principal = ANONYMOUS;
      // AUTH_MODE=none's caller, with every scope (sync:write too): the edge must not treat it as an admin.
      if (header('x-test-open')) principal = { subject: null, via: 'open', scopes: ALL_SCOPES };
      else if (header('x-test-subject')) {
        principal = { subject: header('x-test-subject')!, via: 'api-key', scopes: parseScopes(header('x-test-scopes') ?? '').scopes };
      }
      (request as typeof request & { principal: Principal }).principal = principal;
    });
  },
  { [Symbol.for('skip-override')]: true },
);

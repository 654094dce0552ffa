import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ANONYMOUS, OPEN, type Principal } from '../../../src/auth/principal.js';
import { parseScopes } from '../../../src/auth/scopes.js';

/**
 * Stands in for the authentication plugin: sets `request.principal` in a root `onRequest` hook
 * from test headers (`x-test-subject`, `x-test-scopes`, `x-test-open`). Without them the caller is
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
      if (header('x-test-open')) principal = OPEN;
      else if (header('x-test-subject')) {
        principal = { subject: header('x-test-subject')!, via: 'api-key', scopes: parseScopes(header('x-test-scopes') ?? '').scopes };
      }
      (request as typeof request & { principal: Principal }).principal = principal;
    });
  },
  { [Symbol.for('skip-override')]: true },
);

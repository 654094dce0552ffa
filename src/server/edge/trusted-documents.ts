import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import { holds, type Principal } from '../../auth/principal.js';
import type { Scope } from '../../auth/scopes.js';
import { excerpt } from '../../errors/excerpt.js';
import { GRAPHQL_ROUTES, wantsLandingPage } from '../graphql.routes.js';
import { readGraphQLParams, replaceWithText, type GraphQLParams } from './graphql-params.js';
import { refuseAsGraphQL } from './graphql-refusal.js';
import { principalOf } from './principal-of.js';
import { loadTrustedDocuments, type TrustedDocument, type TrustedDocuments } from './trusted-manifest.js';

/**
 * Who may run documents outside the manifest: callers holding `sync:write`, the admins
 * (ADMIN_TOKEN, keys made for operators), who debug in GraphiQL; a frontend's keys never hold it.
 * Not in AUTH_MODE=none: there every caller holds every scope, and the exemption would open the
 * manifest to anyone.
 */
export const MAY_RUN_ANY_DOCUMENT: Scope = 'sync:write';

export function mayRunAnyDocument(principal: Principal | undefined): boolean {
  return principal !== undefined && principal.via !== 'open' && holds(principal, MAY_RUN_ANY_DOCUMENT);
}

export type Decision =
  | { action: 'pass' }
  | { action: 'run'; document: TrustedDocument }
  | { action: 'refuse'; code: 'PERSISTED_QUERY_NOT_FOUND' | 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS'; message: string };

const NOT_LISTED = 'OPERATION_NOT_IN_TRUSTED_DOCUMENTS';

/**
 * What to do with a request when a manifest is set. A full text runs only when it is listed; an
 * id runs the listed document; anything else is refused. Callers who may run any document run
 * what they send; their ids are still looked up in the manifest (an APQ hash that is not there is
 * left to Apollo's own APQ cache).
 */
export function decide(params: GraphQLParams, documents: TrustedDocuments, anyDocument: boolean): Decision {
  if (params.opaque) {
    return anyDocument ? { action: 'pass' } : { action: 'refuse', code: NOT_LISTED, message: 'Only single operations listed in the trusted documents run here: send one JSON object' };
  }
  if (params.query !== undefined) {
    if (anyDocument || documents.byText(params.query)) return { action: 'pass' };
    return { action: 'refuse', code: NOT_LISTED, message: 'This operation is not in the trusted documents: send the id of a listed operation, or its exact text' };
  }
  if (params.id !== undefined) {
    const document = documents.byId(params.id.value);
    if (document) return { action: 'run', document };
    if (anyDocument && params.id.from === 'persistedQuery') return { action: 'pass' };
    return { action: 'refuse', code: 'PERSISTED_QUERY_NOT_FOUND', message: `PersistedQueryNotFound: no operation with id ${JSON.stringify(excerpt(params.id.value, 80))} is in the trusted documents` };
  }
  if (anyDocument) return { action: 'pass' };
  return { action: 'refuse', code: NOT_LISTED, message: 'Send the id of an operation listed in the trusted documents (documentId, doc_id or extensions.persistedQuery.sha256Hash), or its exact text' };
}

/** Whether a subscription's text may run for its subscriber: null, or why not. */
export type SubscriptionGate = (query: string, principal: Principal) => { code: string; message: string } | null;

/**
 * TRUSTED_DOCUMENTS: read and checked now (a bad manifest stops the start with a ConfigError),
 * then a `preHandler` on `/graphql` that refuses unlisted operations with 400 before Apollo runs
 * anything, and hands listed ones named by id to Apollo as their text. `preHandler` runs after
 * every `onRequest` hook, so the caller's principal is known.
 * Without a manifest nothing is installed, and Apollo's automatic persisted queries work as ever.
 *
 * A WebSocket upgrade carries no document: it passes, and the gate returned here holds each
 * subscribe message sent on it to the same rule (null without a manifest).
 */
export function installTrustedDocuments(app: FastifyInstance, path: string | undefined): SubscriptionGate | null {
  if (path === undefined) return null;
  const documents = loadTrustedDocuments(path);
  app.log.info({ trustedDocuments: documents.size, format: documents.format }, 'only operations in TRUSTED_DOCUMENTS run');
  app.addHook('preHandler', async (request, reply) => {
    if (!GRAPHQL_ROUTES.has(request.routeOptions.url ?? '') || wantsLandingPage(request) || request.ws) return;
    const decision = decide(readGraphQLParams(request), documents, mayRunAnyDocument(principalOf(request)));
    if (decision.action === 'run') replaceWithText(request, decision.document.body);
    if (decision.action === 'refuse') return refuseAsGraphQL(request, reply, 400, decision.code, decision.message);
  });
  return (query, principal) => {
    const decision = decide({ opaque: false, query, operationName: undefined, id: undefined }, documents, mayRunAnyDocument(principal));
    return decision.action === 'refuse' ? { code: decision.code, message: decision.message } : null;
  };
}

import type { FastifyInstance } from 'fastify';
import type { EdgeConfig } from '../../config.js';
import { installAccessLog } from './access-log.js';
import { installRateLimit } from './rate-limit.js';
import { installTrustedDocuments, type SubscriptionGate } from './trusted-documents.js';

/**
 * The server's edge, on the root instance so it covers every route, installed before any route is
 * registered. Each piece sits on the hook that runs after authentication (`onRequest`), whatever
 * the registration order:
 *
 * 1. `preParsing`: rate limit per subject or IP (before a body is parsed);
 * 2. `preHandler`: trusted documents on `/graphql` (needs the parsed body);
 * 3. `onResponse`: the access log line.
 *
 * Throws a ConfigError when TRUSTED_DOCUMENTS cannot be used. Resolves with what the WebSocket
 * side needs of the edge: the trusted-documents rule for each subscription (null without one).
 */
export async function installEdge(app: FastifyInstance, edge: EdgeConfig): Promise<{ subscriptionGate: SubscriptionGate | null }> {
  await installRateLimit(app, edge.rateLimit);
  const subscriptionGate = installTrustedDocuments(app, edge.trustedDocuments);
  installAccessLog(app);
  return { subscriptionGate };
}

export { MAY_RUN_ANY_DOCUMENT, type SubscriptionGate } from './trusted-documents.js';

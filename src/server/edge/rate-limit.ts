import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EdgeConfig } from '../../config.js';
import { refuseAsGraphQL } from './graphql-refusal.js';
import { principalOf } from './principal-of.js';
import { PROBE_ROUTES, routeOf } from './probes.js';
import { WEBHOOK_PATH } from '../../webhooks/receiver.routes.js';

/** Keys name what is counted: a subject and an IP can never share a bucket. */
const SUBJECT_PREFIX = 'subject:';
const IP_PREFIX = 'ip:';

/**
 * The bucket of a request: the key's name or the token's `sub` when the caller has one, else the
 * IP (IPv6 by /64, as the plugin's own default does: one host holds a whole /64).
 */
export function rateLimitKey(request: FastifyRequest): string {
  const subject = principalOf(request)?.subject;
  return subject ? `${SUBJECT_PREFIX}${subject}` : `${IP_PREFIX}${normalizeIP(request.ip)}`;
}

/**
 * RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_SECONDS per subject, RATE_LIMIT_ANONYMOUS_MAX per
 * IP for callers without one (0 turns either off); probes and upstream webhooks are never counted. Over the limit: 429,
 * `Retry-After` in seconds and a GraphQL-shaped body with code RATE_LIMITED.
 *
 * Ordering: the count runs in `preParsing`, which Fastify starts only after every `onRequest`
 * hook has finished, so `request.principal` (set by authentication in `onRequest`) is there
 * whatever order the plugins were registered in; and an over-limit body is never parsed.
 * A request whose credential is refused (401 in `onRequest`) never reaches the count.
 *
 * The counts live in this process (the plugin's LocalStore): with N replicas behind a balancer
 * a caller gets up to N times the limit.
 */
export async function installRateLimit(app: FastifyInstance, settings: EdgeConfig['rateLimit']): Promise<void> {
  if (settings.max === 0 && settings.anonymousMax === 0) return;
  const maxFor = (key: string): number => (key.startsWith(SUBJECT_PREFIX) ? settings.max : settings.anonymousMax);
  // global: false: no per-route hooks of the plugin's own; the one hook below is the only counter.
  await app.register(rateLimit, { global: false });
  const limit = app.createRateLimit({
    keyGenerator: rateLimitKey,
    max: (_request: FastifyRequest, key: string) => maxFor(key),
    timeWindow: settings.windowSeconds * 1_000,
    // The upstream's webhooks come from a few addresses at up to 600 a minute; the receiver checks their secret.
    allowList: (request: FastifyRequest, key: string) => PROBE_ROUTES.has(routeOf(request) ?? '') || routeOf(request) === WEBHOOK_PATH || maxFor(key) === 0,
  });
  app.addHook('preParsing', async (request, reply) => {
    const result = await limit(request);
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max).header('x-ratelimit-remaining', result.remaining).header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    const message = `Too many requests: at most ${result.max} every ${settings.windowSeconds} s; retry in ${result.ttlInSeconds} s`;
    // Answered here; Fastify runs no later hook nor the handler once the reply is sent.
    refuseAsGraphQL(request, reply, 429, 'RATE_LIMITED', message);
  });
}

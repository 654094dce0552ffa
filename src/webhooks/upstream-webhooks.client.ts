import { z } from 'zod';
import type { UpstreamConfig } from '../config.js';
import type { WebhookEvent } from '../entities/index.js';
import { excerpt } from '../errors/excerpt.js';
import { UpstreamError } from '../errors/index.js';
import { UpstreamClient } from '../sync/http-client.js';
import { RateLimiter } from '../sync/rate-limiter.js';
import { RECORD_RESOURCES, type RecordResourceName } from '../resources/resource-table.js';
import { SECRET_FIELD } from './subscription.store.js';

/**
 * @file The upstream's webhook subscriptions API (`/v1/webhooks`): create, list and delete,
 * through UpstreamClient (its limiter, auth headers and retry policy), every answer checked
 * against the shape the API documents.
 */

export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['new', 'update', 'delete'];

/** Resources whose upstream webhook `type` is not their `relatedType` (nothing points at a project). */
const TYPE_WITHOUT_RELATED: Partial<Record<RecordResourceName, string>> = { projects: 'project' };

/** The upstream webhook `type` of each mirrored resource, from the resource table. */
export const WEBHOOK_TYPES: Readonly<Record<RecordResourceName, string>> = Object.freeze(
  Object.fromEntries(
    RECORD_RESOURCES.map((resource) => {
      const type = resource.relatedType ?? TYPE_WITHOUT_RELATED[resource.name];
      if (!type) throw new Error(`resource ${resource.name} has no webhook type: add it to TYPE_WITHOUT_RELATED`);
      return [resource.name, type];
    }),
  ) as Record<RecordResourceName, string>,
);

/** The mirrored resource a webhook `type` names; null for a type this mirror does not hold (e.g. `lead`). */
export function resourceOfType(type: string): RecordResourceName | null {
  const found = RECORD_RESOURCES.find((resource) => WEBHOOK_TYPES[resource.name] === type);
  return found ? found.name : null;
}

export const WEBHOOKS_PATH = '/v1/webhooks';

export interface UpstreamSubscription {
  id: string;
  target: string;
  type: string;
  /** Null when `type` is not a mirrored resource. */
  resource: RecordResourceName | null;
  event: string;
  /** The `SECRET_FIELD` value when the upstream echoes secrets: compared, never printed. */
  echoedSecret: string | undefined;
}

const subscriptionShape = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().min(1).max(64)], { error: 'expected a whole number or a string of 1 to 64 characters' }),
  target: z.string(),
  type: z.string(),
  event: z.string(),
  secret: z.record(z.string(), z.unknown()).nullish(),
});
const listShape = z.array(subscriptionShape);

/**
 * What was wrong with an answer, as expected vs got for at most three places, with a short
 * excerpt of the value found there (never of a `secret`, and with the API key blanked).
 */
function shapeError(what: string, body: unknown, error: z.ZodError, redact: (text: string) => string): UpstreamError {
  const problems = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('') : '(the body)';
    const secretPath = issue.path.includes('secret');
    const found = secretPath ? '(not shown)' : excerpt(JSON.stringify(valueAt(body, issue.path)) ?? 'nothing', 80);
    return `${path}: ${issue.message}; got ${found}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more problems)` : '';
  return new UpstreamError(redact(`upstream answered ${what} with an unexpected shape: ${problems.join('; ')}${more}`), undefined, false, 'body');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const part of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

function toSubscription(raw: z.infer<typeof subscriptionShape>): UpstreamSubscription {
  const secret = raw.secret?.[SECRET_FIELD];
  return { id: String(raw.id), target: raw.target, type: raw.type, resource: resourceOfType(raw.type), event: raw.event, echoedSecret: typeof secret === 'string' ? secret : undefined };
}

export interface NewUpstreamSubscription {
  resource: RecordResourceName;
  event: WebhookEvent;
  target: string;
  secret: string;
}

export class UpstreamWebhooksClient {
  constructor(private readonly http: UpstreamClient) {}

  /**
   * Creates a subscription whose notifications carry `secret` as `SECRET_FIELD`. Never sent twice
   * where the first may have arrived: when the answer is lost, the upstream's list is searched
   * for a subscription with this secret (when the upstream echoes secrets) before giving up.
   */
  async create(input: NewUpstreamSubscription): Promise<UpstreamSubscription> {
    const body = { target: input.target, type: WEBHOOK_TYPES[input.resource], event: input.event, secret: { [SECRET_FIELD]: input.secret } };
    let answer: unknown;
    try {
      answer = await this.http.requestJson('POST', WEBHOOKS_PATH, body, { resource: 'webhooks', retry: 'refused-only' });
    } catch (error) {
      if (!(error instanceof UpstreamError && error.retryable)) throw error;
      const found = (await this.list()).find((subscription) => subscription.echoedSecret === input.secret);
      if (found) return found;
      throw error;
    }
    const parsed = subscriptionShape.safeParse(answer);
    if (!parsed.success) throw shapeError(`POST ${WEBHOOKS_PATH}`, answer, parsed.error, (text) => this.http.redact(text));
    return toSubscription(parsed.data);
  }

  async list(): Promise<UpstreamSubscription[]> {
    const answer = await this.http.requestJson('GET', WEBHOOKS_PATH, undefined, { resource: 'webhooks' });
    const parsed = listShape.safeParse(answer);
    if (!parsed.success) throw shapeError(`GET ${WEBHOOKS_PATH}`, answer, parsed.error, (text) => this.http.redact(text));
    return parsed.data.map(toSubscription);
  }

  /** Deletes a subscription: `gone` when the upstream had no such subscription (HTTP 404). */
  async delete(id: string): Promise<'deleted' | 'gone'> {
    try {
      await this.http.requestJson('DELETE', `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`, undefined, { resource: 'webhooks' });
      return 'deleted';
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) return 'gone';
      throw error;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** A client with its own connection pool and a limiter of UPSTREAM_MAX_REQUESTS_PER_MINUTE (one process, one limiter). */
export function createUpstreamWebhooksClient(upstream: UpstreamConfig, limiter?: RateLimiter): UpstreamWebhooksClient {
  return new UpstreamWebhooksClient(new UpstreamClient({ upstream, limiter: limiter ?? new RateLimiter({ maxRequests: upstream.maxRequestsPerMinute }) }));
}

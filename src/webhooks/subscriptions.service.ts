import { keyMatchesHash } from '../auth/api-key-format.js';
import type { WebhookEvent, WebhookSubscription } from '../entities/index.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import { generateWebhookSecret, type WebhookSubscriptionStore } from './subscription.store.js';
import { WEBHOOK_TYPES, type UpstreamSubscription, type UpstreamWebhooksClient } from './upstream-webhooks.client.js';

/**
 * @file What `mirrorgraph webhooks subscribe|list|unsubscribe` do, apart from parsing and
 * printing: the upstream's subscriptions joined with the ones this mirror recorded, and the
 * changes to both.
 */

/** The upstream's documented limit per account. */
export const MAX_UPSTREAM_SUBSCRIPTIONS = 100;

export interface SubscriptionView {
  id: string;
  /** Null for a type this mirror does not hold. */
  resource: RecordResourceName | null;
  type: string;
  event: string;
  target: string;
  /** Created by this mirror: recorded locally, and the upstream's copy matches the record. */
  ours: boolean;
  /** False for a local record the upstream no longer has: it receives nothing. */
  upstream: boolean;
}

/**
 * A local record is the upstream subscription of the same id only when the two agree: by the
 * secret when the upstream echoes it, otherwise by target, type and event. (Ids are the
 * upstream's: another account, or a simulator started afresh, reuses them.)
 */
function matches(local: WebhookSubscription, upstream: UpstreamSubscription): boolean {
  if (local.id !== upstream.id) return false;
  if (upstream.echoedSecret !== undefined) return keyMatchesHash(upstream.echoedSecret, local.secretHash);
  return local.target === upstream.target && WEBHOOK_TYPES[local.resource as RecordResourceName] === upstream.type && local.event === upstream.event;
}

/** The upstream's subscriptions in its order, then the local records it no longer has. */
export function joinSubscriptions(upstream: readonly UpstreamSubscription[], local: readonly WebhookSubscription[]): SubscriptionView[] {
  const matched = new Set<WebhookSubscription>();
  const views: SubscriptionView[] = upstream.map((remote) => {
    const record = local.find((candidate) => matches(candidate, remote));
    if (record) matched.add(record);
    return { id: remote.id, resource: remote.resource, type: remote.type, event: remote.event, target: remote.target, ours: record !== undefined, upstream: true };
  });
  for (const record of local) {
    if (matched.has(record)) continue;
    const resource = record.resource as RecordResourceName;
    views.push({ id: record.id, resource, type: WEBHOOK_TYPES[resource] ?? record.resource, event: record.event, target: record.target, ours: true, upstream: false });
  }
  return views;
}

export async function currentSubscriptions(client: UpstreamWebhooksClient, store: WebhookSubscriptionStore): Promise<{ views: SubscriptionView[]; upstreamCount: number }> {
  const [upstream, local] = await Promise.all([client.list(), store.list()]);
  return { views: joinSubscriptions(upstream, local), upstreamCount: upstream.length };
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The target as sent upstream (normalised by URL), or why it cannot be one: an absolute http(s)
 * URL, HTTPS unless its host is loopback (the real API takes HTTPS only; loopback is for tests
 * against the simulator).
 */
export function checkTargetUrl(text: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `expected an absolute https:// URL such as https://mirror.example.com/webhooks/upstream, got ${JSON.stringify(text.slice(0, 120))}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `expected an https:// URL, got the scheme ${JSON.stringify(url.protocol.slice(0, 20))}` };
  if (url.username || url.password) return { ok: false, message: 'expected a URL without user or password: the upstream would send them to the target in the clear' };
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    return { ok: false, message: `the upstream delivers to https:// targets only, got http:// on host ${JSON.stringify(url.hostname.slice(0, 120))} (http:// is accepted for loopback hosts only, for tests)` };
  }
  return { ok: true, url: url.href };
}

export interface SubscribeRequest {
  target: string;
  resources: readonly RecordResourceName[];
  events: readonly WebhookEvent[];
}

export interface SubscribeOutcome {
  id: string;
  resource: RecordResourceName;
  event: WebhookEvent;
  status: 'created' | 'exists';
  /** Local records of the same target, resource and event that the upstream no longer had: forgotten once this one was created. */
  replaced: string[];
}

export class SubscriptionLimitError extends Error {
  override name = 'SubscriptionLimitError';
}

/**
 * Creates one subscription per resource and event with a fresh secret each, skipping those of
 * ours the upstream already has for the same target. Each is recorded (its secret's hash only)
 * as soon as the upstream accepts it, and reported through `onOutcome`, so a failure midway
 * leaves every created one recorded. Creates nothing when the upstream's limit would be passed.
 */
export async function subscribe(client: UpstreamWebhooksClient, store: WebhookSubscriptionStore, request: SubscribeRequest, onOutcome: (outcome: SubscribeOutcome) => void): Promise<void> {
  const { views, upstreamCount } = await currentSubscriptions(client, store);
  const same = (view: SubscriptionView, resource: RecordResourceName, event: WebhookEvent) => view.ours && view.target === request.target && view.resource === resource && view.event === event;
  const wanted = request.resources.flatMap((resource) => request.events.map((event) => ({ resource, event })));
  const missing = wanted.filter(({ resource, event }) => !views.some((view) => view.upstream && same(view, resource, event)));
  if (upstreamCount + missing.length > MAX_UPSTREAM_SUBSCRIPTIONS) {
    throw new SubscriptionLimitError(
      `the upstream allows at most ${MAX_UPSTREAM_SUBSCRIPTIONS} webhook subscriptions per account: it has ${upstreamCount} and ${missing.length} more are needed; nothing was created (remove some with \`mirrorgraph webhooks unsubscribe\`, or subscribe fewer with --resource/--events)`,
    );
  }
  for (const { resource, event } of wanted) {
    const existing = views.find((view) => view.upstream && same(view, resource, event));
    if (existing) {
      onOutcome({ id: existing.id, resource, event, status: 'exists', replaced: [] });
      continue;
    }
    const secret = generateWebhookSecret();
    const created = await client.create({ resource, event, target: request.target, secret });
    await store.save({ id: created.id, resource, event, target: request.target }, secret);
    const stale = views.filter((view) => !view.upstream && same(view, resource, event) && view.id !== created.id).map((view) => view.id);
    for (const id of stale) await store.remove(id);
    onOutcome({ id: created.id, resource, event, status: 'created', replaced: stale });
  }
}

export interface UnsubscribeOutcome {
  id: string;
  view: SubscriptionView | undefined;
  /**
   * `deleted`: upstream and locally. `gone`: the upstream no longer had it; forgotten locally.
   * `foreign`: not created by this mirror; left alone. `unknown`: neither upstream nor local.
   */
  status: 'deleted' | 'gone' | 'foreign' | 'unknown';
}

/**
 * Deletes subscriptions of ours, upstream then locally; `all` takes every local record (never a
 * foreign subscription). A local record whose id the upstream now uses for another
 * subscription is only forgotten, never deleted upstream.
 */
export async function unsubscribe(client: UpstreamWebhooksClient, store: WebhookSubscriptionStore, which: 'all' | readonly string[], onOutcome: (outcome: UnsubscribeOutcome) => void): Promise<void> {
  const { views } = await currentSubscriptions(client, store);
  const ours = views.filter((view) => view.ours);
  const chosen = which === 'all' ? ours.map((view) => ({ id: view.id, view })) : [...new Set(which)].map((id) => ({ id, view: ours.find((view) => view.id === id) }));
  for (const { id, view } of chosen) {
    if (!view) {
      onOutcome({ id, view: views.find((candidate) => candidate.id === id), status: views.some((candidate) => candidate.id === id) ? 'foreign' : 'unknown' });
      continue;
    }
    const status = view.upstream ? await client.delete(id) : 'gone';
    await store.remove(id);
    onOutcome({ id, view, status });
  }
}

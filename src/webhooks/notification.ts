import type { WebhookEvent } from '../entities/index.js';
import { excerpt } from '../errors/excerpt.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import { resourceOfType, WEBHOOK_EVENTS, WEBHOOK_TYPES } from './upstream-webhooks.client.js';

/**
 * An upstream change notification, checked: `{ids, type, event, subscription_id, ...}` with the
 * subscription's secret pairs as further top-level fields. Problems are described by field name
 * and a short excerpt of the offending value, never the whole body, which holds the secret.
 */
export interface Notification {
  subscriptionId: string;
  resource: RecordResourceName;
  event: WebhookEvent;
  /** Distinct, as decimal strings. */
  ids: string[];
}

/** The API sends 1 to 30; a little slack for an upstream that batches more, a bound for one that misbehaves. */
export const MAX_IDS = 200;

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const shown = (value: unknown): string => excerpt(JSON.stringify(value) ?? String(value), 60);

/** The subscription id, needed before anything else (it finds the secret to check). */
export function subscriptionIdOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const id = (body as Record<string, unknown>).subscription_id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  return null;
}

export function checkNotification(body: Record<string, unknown>, subscriptionId: string): Checked<Notification> {
  const resource = typeof body.type === 'string' ? resourceOfType(body.type) : null;
  if (!resource) return { ok: false, problem: `type: expected one of ${Object.values(WEBHOOK_TYPES).join(', ')}, got ${shown(body.type)}` };
  const event = WEBHOOK_EVENTS.find((e) => e === body.event);
  if (!event) return { ok: false, problem: `event: expected one of ${WEBHOOK_EVENTS.join(', ')}, got ${shown(body.event)}` };
  if (!Array.isArray(body.ids) || body.ids.length === 0 || body.ids.length > MAX_IDS) {
    return { ok: false, problem: `ids: expected an array of 1 to ${MAX_IDS} record ids, got ${Array.isArray(body.ids) ? `${body.ids.length} items` : shown(body.ids)}` };
  }
  const ids = new Set<string>();
  for (const id of body.ids as unknown[]) {
    const text = typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : typeof id === 'string' && /^[1-9][0-9]{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? id : null;
    if (text === null) return { ok: false, problem: `ids: expected positive integer ids below 2^53, got ${shown(id)}` };
    ids.add(text);
  }
  return { ok: true, value: { subscriptionId, resource, event, ids: [...ids] } };
}

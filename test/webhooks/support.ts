import { request } from 'undici';
import type { DataSource } from 'typeorm';
import { startApp, type RunningApp } from '../../src/app.js';
import { ChangeLogEntry, type WebhookEvent } from '../../src/entities/index.js';
import { silentLogger } from '../../src/logger.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { RecordResourceName } from '../../src/resources/resource-table.js';
import { WEBHOOK_TYPES } from '../../src/webhooks/upstream-webhooks.client.js';
import { WEBHOOK_PATH } from '../../src/webhooks/receiver.routes.js';
import { generateWebhookSecret, SECRET_FIELD, WebhookSubscriptionStore } from '../../src/webhooks/subscription.store.js';
import type { SyncFixture } from '../sync/helpers.js';

const typeOf = (resource: RecordResourceName): string => WEBHOOK_TYPES[resource];

/** A serving app on a free loopback port over the fixture's database and simulator, its worker polling every `pollMs`. */
export async function serveFixture(f: SyncFixture, options: { pollMs?: number; worker?: boolean; env?: Record<string, string> } = {}): Promise<RunningApp> {
  const config = f.config({ PORT: '0', HOST: '127.0.0.1', SYNC_SCHEDULE: 'off', FULL_SYNC_SCHEDULE: 'off', WEBHOOK_POLL_MS: String(options.pollMs ?? 100), ...options.env });
  const app = await startApp({ config, logger: silentLogger, schedule: false });
  if (options.worker ?? true) app.webhooks.start();
  return app;
}

export interface Subscribed {
  id: string;
  secret: string;
}

/** Subscribes `target` upstream as `mirrorgraph webhooks subscribe` does, keeping the secret so that a test can send notifications of its own. */
export async function subscribe(sim: Simulator, ds: DataSource, target: string, resource: RecordResourceName, event: WebhookEvent): Promise<Subscribed> {
  const secret = generateWebhookSecret();
  const response = await request(`${sim.url}/v1/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_key: 'test-key', user_email: 'test@example.com' },
    body: JSON.stringify({ target, type: typeOf(resource), event, secret: { [SECRET_FIELD]: secret } }),
  });
  const body = (await response.body.json()) as { id: number };
  if (response.statusCode !== 200) throw new Error(`subscribing failed: ${response.statusCode} ${JSON.stringify(body)}`);
  await new WebhookSubscriptionStore(ds).save({ id: String(body.id), resource, event, target }, secret);
  return { id: String(body.id), secret };
}

export async function postNotification(appUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(`${appUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: JSON.parse(text) as Record<string, unknown> };
}

/** A notification as the upstream sends it for `subscription`. */
export function notification(subscription: Subscribed, resource: RecordResourceName, event: WebhookEvent, ids: readonly (number | string)[]): Record<string, unknown> {
  return { ids, type: typeOf(resource), event, subscription_id: Number(subscription.id), updated_attributes: {}, timestamp: new Date().toISOString(), [SECRET_FIELD]: subscription.secret };
}

export async function changesOf(ds: DataSource, resource: RecordResourceName): Promise<ChangeLogEntry[]> {
  return ds.getRepository(ChangeLogEntry).find({ where: { resource }, order: { sequence: 'ASC' } });
}

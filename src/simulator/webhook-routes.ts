import type { IncomingMessage } from 'node:http';
import { checkAuth, message } from './api-auth.js';
import type { ApiSettings } from './search-handler.js';
import { WebhookRequestError, type WebhookHub } from './webhooks.js';

export const WEBHOOKS_PATH = /^\/v1\/webhooks(?:\/([^/]+))?$/;

export type Reply = (status: number, payload: string, headers?: Record<string, string>) => void;

/**
 * `/v1/webhooks`: POST creates a subscription, GET lists them; `/v1/webhooks/{id}`: GET reads
 * one, DELETE removes it. Credentials as for searches.
 */
export function handleWebhookRequest(req: IncomingMessage, path: string, body: { text: string; tooLarge: boolean }, hub: WebhookHub, settings: ApiSettings, reply: Reply): void {
  const idText = WEBHOOKS_PATH.exec(path)?.[1];
  const allowed = idText === undefined ? ['GET', 'POST'] : ['GET', 'DELETE'];
  if (!allowed.includes(req.method ?? '')) return reply(405, message(`${path} takes ${allowed.join(' or ')}`), { allow: allowed.join(', ') });
  const authProblem = checkAuth(req, settings);
  if (authProblem) return reply(401, message(authProblem));

  if (idText === undefined) {
    if (req.method === 'GET') return reply(200, JSON.stringify(hub.list()));
    if (body.tooLarge) return reply(413, message('the body is too large'));
    let input: unknown;
    try {
      input = JSON.parse(body.text);
    } catch {
      return reply(400, message('the body is not valid JSON'));
    }
    try {
      return reply(200, JSON.stringify(hub.subscribe(input)));
    } catch (error) {
      if (error instanceof WebhookRequestError) return reply(error.status, message(error.message));
      throw error;
    }
  }
  const id = /^\d{1,15}$/.test(idText) ? Number(idText) : undefined;
  const subscription = id === undefined ? undefined : hub.get(id);
  if (!subscription) return reply(404, message(`no webhook subscription ${idText.slice(0, 20)}`));
  if (req.method === 'DELETE') hub.unsubscribe(subscription.id);
  return reply(200, JSON.stringify(subscription));
}

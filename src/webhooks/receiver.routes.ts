import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import { webhookNotifications } from '../observability/metrics.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import type { WebhookInbox } from './inbox.js';
import { checkNotification, subscriptionIdOf } from './notification.js';
import { SECRET_FIELD, type WebhookSubscriptionStore } from './subscription.store.js';

export const WEBHOOK_PATH = '/webhooks/upstream';

/** A notification is a few hundred bytes (30 ids); this leaves room and bounds what a stranger can make us parse. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

export interface ReceiverOptions {
  subscriptions: WebhookSubscriptionStore;
  inbox: WebhookInbox;
  /** Called after a notification is in the inbox (the apply worker starts at once rather than at its next poll). */
  onAccepted?: (resource: RecordResourceName) => void;
}

/**
 * `POST /webhooks/upstream`: the upstream's change notifications. Authenticated by the secret of
 * the subscription the notification names (401 otherwise), checked (400), written to the inbox,
 * and only then acknowledged with 202: the upstream never retries, so an acknowledged
 * notification must already be durable. Registered in a scope of its own: the JSON parser here
 * never repeats the body in an error (it holds the secret), and the route is exempt from bearer
 * authentication and the per-client rate limit (see create-server.ts).
 */
export const receiverRoutes: FastifyPluginAsync<ReceiverOptions> = async (app, { subscriptions, inbox, onAccepted }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_NOTIFICATION_BYTES }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error(`body: expected JSON, got ${(body as string).length} bytes that do not parse`), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'webhook notification could not be stored');
    else webhookNotifications.inc({ outcome: 'invalid' });
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `body: expected at most ${MAX_NOTIFICATION_BYTES} bytes`
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'content-type: expected application/json'
          : status === 500
            ? 'the notification could not be stored; it was not accepted'
            : error.message;
    return answer(reply, status, message);
  });

  app.post(WEBHOOK_PATH, async (request, reply) => {
    const body = request.body;
    const subscriptionId = subscriptionIdOf(body);
    const secret = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[SECRET_FIELD] : undefined;
    const subscription = subscriptionId === null ? null : await subscriptions.verify(subscriptionId, secret);
    if (!subscription) {
      webhookNotifications.inc({ outcome: 'unauthorized' });
      request.log.warn({ subscriptionId }, 'webhook notification refused: no subscription of ours with this secret');
      return answer(reply, 401, `expected the subscription_id of a subscription created by \`mirrorgraph webhooks subscribe\` and its secret in "${SECRET_FIELD}"`);
    }
    const checked = checkNotification(body as Record<string, unknown>, subscription.id);
    if (!checked.ok) {
      webhookNotifications.inc({ outcome: 'invalid' });
      return answer(reply, 400, checked.problem);
    }
    const notification = checked.value;
    if (notification.resource !== subscription.resource || notification.event !== subscription.event) {
      webhookNotifications.inc({ outcome: 'invalid' });
      return answer(reply, 400, `type and event: expected ${subscription.resource}/${subscription.event} (subscription ${subscription.id}), got ${notification.resource}/${notification.event}`);
    }
    await inbox.add(notification, new Date());
    webhookNotifications.inc({ outcome: 'accepted' });
    onAccepted?.(notification.resource);
    return reply.code(202).send({ accepted: notification.ids.length });
  });
};

function answer(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

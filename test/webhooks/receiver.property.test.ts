import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { WebhookInboxEntry } from '../../src/entities/index.js';
import { SECRET_FIELD } from '../../src/webhooks/subscription.store.js';
import { syncFixture, type SyncFixture } from '../sync/helpers.js';
import { notification, postNotification, serveFixture, subscribe, type Subscribed } from './support.js';

/**
 * Whatever arrives at the receiver (well-formed or not, with the right secret or not), it answers
 * 202, 400, 401 or 413, never 5xx; it stores exactly the notifications it acknowledges; and no
 * answer repeats the secret.
 */
const TYPES = ['person', 'company', 'opportunity', 'project', 'lead', '', 7];
const EVENTS = ['new', 'update', 'delete', 'UPDATE', null];

const idArb = fc.oneof(fc.integer({ min: -5, max: 2 ** 40 }), fc.constantFrom(2 ** 53 + 2, 1.5, '12', '0', 'x', '9007199254740993'), fc.string({ maxLength: 6 }));
const bodyArb = (subscription: Subscribed) =>
  fc.record(
    {
      ids: fc.oneof(fc.array(idArb, { maxLength: 40 }), fc.anything({ maxDepth: 1 }), fc.constant(Array.from({ length: 201 }, (_, i) => i + 1))),
      type: fc.constantFrom(...TYPES),
      event: fc.constantFrom(...EVENTS),
      subscription_id: fc.oneof(fc.constant(Number(subscription.id)), fc.constant(subscription.id), fc.integer({ min: 0, max: 10_000 }), fc.anything({ maxDepth: 0 })),
      [SECRET_FIELD]: fc.oneof(fc.constant(subscription.secret), fc.constant(`${subscription.secret}x`), fc.string({ maxLength: 50 }), fc.anything({ maxDepth: 0 })),
      extra: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );

describe('webhook receiver, property', () => {
  let f: SyncFixture;
  let app: RunningApp;
  let subscription: Subscribed;

  beforeAll(async () => {
    f = await syncFixture('sqlite', { records: 40, webhooks: { allowHttpTargets: true } });
    app = await serveFixture(f, { worker: false });
    subscription = await subscribe(f.sim, f.ds, `${app.url}/webhooks/upstream`, 'people', 'update');
  });
  afterAll(async () => {
    await app?.close();
    await f?.close();
  });

  it('answers every body with 202, 400, 401 or 413, stores what it accepts, and never repeats the secret', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodyArb(subscription), fc.constant(notification(subscription, 'people', 'update', [1, 2]))), async (body) => {
        const reply = await postNotification(app.url, body);
        expect([202, 400, 401, 413]).toContain(reply.status);
        expect(JSON.stringify(reply.body)).not.toContain(subscription.secret);
        if (reply.status === 202) accepted++;
        expect(await f.ds.getRepository(WebhookInboxEntry).count(), JSON.stringify([reply, body])).toBe(accepted);
      }),
      { numRuns: 150 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

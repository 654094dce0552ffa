import { request } from 'undici';
import { Rng } from './random.js';
import type { ChangeEvent } from './resource-table.js';
import type { ResourceName } from './resources.js';
import type { UpstreamStore } from './store.js';

/** The resource names of the API's webhooks (`type`), one per simulated resource. */
export const WEBHOOK_TYPES: Readonly<Record<ResourceName, string>> = { people: 'person', companies: 'company', opportunities: 'opportunity', projects: 'project' };
const WEBHOOK_EVENTS: readonly ChangeEvent[] = ['new', 'update', 'delete'];

/** The API's limits (upstream-api.md, "Webhooks"). */
export const MAX_SUBSCRIPTIONS = 100;
export const MAX_IDS_PER_NOTIFICATION = 30;

/**
 * How the simulator delivers notifications: as the real API does by default (at most once, never
 * retried, batched), and as unkindly as it is allowed to on request.
 */
export interface WebhookOptions {
  /** Accept `http://` targets. The real API takes HTTPS only; tests receive on loopback. Default false. */
  allowHttpTargets?: boolean;
  /** Share of notifications never sent, 0 to 1. Default 0. */
  loss?: number;
  /** Share of notifications sent twice, 0 to 1. Default 0. */
  duplicates?: number;
  /** Wait before each notification is sent, in ms: a number, or `[min, max]` drawn per notification. Default 0. */
  delayMs?: number | readonly [number, number];
  /** Send the notifications of one flush in a shuffled order. Default false. */
  reorder?: boolean;
  /** Send a wrong value in every secret pair, as a forged sender would. Default false. */
  wrongSecret?: boolean;
  /** How long changes gather into the same notification before it is sent, in ms. Default 20. */
  batchMs?: number;
  /** Seeds loss, duplicates, delays and order. Default 1. */
  seed?: number;
}

export interface WebhookSubscription {
  id: number;
  target: string;
  type: string;
  event: ChangeEvent;
  secret: Record<string, string>;
  headers: Record<string, string>;
  created_at: number;
}

/** What was sent, lost and answered; zeroed by `resetStats`. */
export interface WebhookStats {
  /** Notifications made from changes (before loss and duplicates). */
  notifications: number;
  /** Notifications dropped by `loss`. */
  lost: number;
  /** Extra copies sent by `duplicates`. */
  duplicated: number;
  /** POSTs the target answered with a 2xx. */
  delivered: number;
  /** POSTs that failed or got another status: never retried. */
  failed: number;
}

/** A refused subscription request: the status and the message the API answers with. */
export class WebhookRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Notification {
  subscription: WebhookSubscription;
  ids: number[];
}

/**
 * The simulator's webhooks: subscriptions made through `/v1/webhooks`, and a notification POSTed
 * to each matching subscription's target after records change (by drift, or by a test through
 * the store), 1 to 30 ids each, the subscription's `secret` pairs as top-level fields and its
 * `headers` as HTTP headers. Delivered at most once and never retried, whatever the target
 * answers; `loss`, `duplicates`, `delayMs`, `reorder` and `wrongSecret` make it worse.
 */
export class WebhookHub {
  readonly stats: WebhookStats = { notifications: 0, lost: 0, duplicated: 0, delivered: 0, failed: 0 };
  private readonly subscriptions = new Map<number, WebhookSubscription>();
  private nextId = 1;
  /** Changed ids per subscription, waiting for the flush. */
  private readonly pending = new Map<number, number[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();
  /** Aborts the POSTs under way when the simulator closes: a target that hangs does not hold it open. */
  private readonly inFlight = new AbortController();
  private readonly delays = new Set<NodeJS.Timeout>();
  private readonly rng: Rng;
  private readonly stopListening: () => void;
  private closed = false;

  constructor(
    store: UpstreamStore,
    private readonly options: WebhookOptions = {},
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    checkOptions(options);
    this.rng = new Rng(options.seed ?? 1);
    this.stopListening = store.onChange((resource, id, event) => this.changed(resource, id, event));
  }

  /** `POST /v1/webhooks`: validates the body and adds the subscription; throws WebhookRequestError. */
  subscribe(body: unknown): WebhookSubscription {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new WebhookRequestError(400, 'the body must be a JSON object with target, type and event');
    const input = body as Record<string, unknown>;
    const target = input.target;
    if (typeof target !== 'string' || !isUrl(target)) throw new WebhookRequestError(422, `target must be a URL, got ${excerpt(target)}`);
    if (!target.startsWith('https://') && !(this.options.allowHttpTargets && target.startsWith('http://'))) {
      throw new WebhookRequestError(422, `target must be an https:// URL, got ${excerpt(target)}`);
    }
    const types = Object.values(WEBHOOK_TYPES);
    if (typeof input.type !== 'string' || !types.includes(input.type)) throw new WebhookRequestError(422, `type must be one of ${types.join(', ')}, got ${excerpt(input.type)}`);
    if (typeof input.event !== 'string' || !WEBHOOK_EVENTS.includes(input.event as ChangeEvent)) {
      throw new WebhookRequestError(422, `event must be one of ${WEBHOOK_EVENTS.join(', ')}, got ${excerpt(input.event)}`);
    }
    const secret = stringPairs(input.secret, 'secret');
    const headers = stringPairs(input.headers, 'headers');
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) throw new WebhookRequestError(422, `at most ${MAX_SUBSCRIPTIONS} subscriptions per account`);
    const subscription: WebhookSubscription = { id: this.nextId++, target, type: input.type, event: input.event as ChangeEvent, secret, headers, created_at: this.clock() };
    this.subscriptions.set(subscription.id, subscription);
    return structuredClone(subscription);
  }

  list(): WebhookSubscription[] {
    return [...this.subscriptions.values()].map((s) => structuredClone(s));
  }

  get(id: number): WebhookSubscription | undefined {
    const subscription = this.subscriptions.get(id);
    return subscription && structuredClone(subscription);
  }

  /** Deletes a subscription; its changes not yet sent are dropped. False if there was none. */
  unsubscribe(id: number): boolean {
    this.pending.delete(id);
    return this.subscriptions.delete(id);
  }

  resetStats(): void {
    for (const key of Object.keys(this.stats) as (keyof WebhookStats)[]) this.stats[key] = 0;
  }

  /** Resolves once every change so far has been sent (or lost) and every POST has been answered. */
  async idle(): Promise<void> {
    while (this.flushTimer || this.delays.size > 0 || this.sending.size > 0) {
      if (this.flushTimer) {
        clearTimeout(this.flushTimer);
        this.flush();
      }
      await Promise.all([...this.sending]);
      if (this.delays.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops listening and sending; notifications not yet sent are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const timer of this.delays) clearTimeout(timer);
    this.delays.clear();
    this.inFlight.abort();
    await Promise.all([...this.sending]);
  }

  private changed(resource: ResourceName, id: number, event: ChangeEvent): void {
    if (this.closed) return;
    const type = WEBHOOK_TYPES[resource];
    for (const subscription of this.subscriptions.values()) {
      if (subscription.type !== type || subscription.event !== event) continue;
      const ids = this.pending.get(subscription.id) ?? [];
      ids.push(id);
      this.pending.set(subscription.id, ids);
    }
    if (this.pending.size > 0 && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.options.batchMs ?? 20);
      this.flushTimer.unref?.();
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    const notifications: Notification[] = [];
    for (const [subscriptionId, ids] of this.pending) {
      const subscription = this.subscriptions.get(subscriptionId);
      if (!subscription) continue;
      const unique = [...new Set(ids)];
      for (let at = 0; at < unique.length; at += MAX_IDS_PER_NOTIFICATION) notifications.push({ subscription, ids: unique.slice(at, at + MAX_IDS_PER_NOTIFICATION) });
    }
    this.pending.clear();
    if (this.options.reorder) shuffle(notifications, this.rng);
    for (const notification of notifications) {
      this.stats.notifications++;
      if (this.rng.next() < (this.options.loss ?? 0)) {
        this.stats.lost++;
        continue;
      }
      const copies = this.rng.next() < (this.options.duplicates ?? 0) ? 2 : 1;
      this.stats.duplicated += copies - 1;
      for (let copy = 0; copy < copies; copy++) this.later(notification);
    }
  }

  private later(notification: Notification): void {
    const delay = this.delay();
    if (delay === 0) return this.send(notification);
    const timer = setTimeout(() => {
      this.delays.delete(timer);
      this.send(notification);
    }, delay);
    this.delays.add(timer);
  }

  private delay(): number {
    const option = this.options.delayMs ?? 0;
    return typeof option === 'number' ? option : this.rng.int(option[0], option[1]);
  }

  private send({ subscription, ids }: Notification): void {
    if (this.closed) return;
    const secret = this.options.wrongSecret ? Object.fromEntries(Object.keys(subscription.secret).map((key) => [key, `wrong-${key}`])) : subscription.secret;
    const body = JSON.stringify({
      ...secret,
      ids,
      type: subscription.type,
      event: subscription.event,
      subscription_id: subscription.id,
      updated_attributes: {},
      timestamp: new Date(this.clock() * 1000).toISOString(),
    });
    const sent = request(subscription.target, {
      method: 'POST',
      headers: { ...subscription.headers, 'content-type': 'application/json' },
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
      signal: this.inFlight.signal,
    })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) this.stats.delivered++;
        else this.stats.failed++;
      })
      .catch(() => {
        // At most once: a target that is down or slow loses the notification.
        this.stats.failed++;
      })
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }
}

function checkOptions(options: WebhookOptions): void {
  for (const name of ['loss', 'duplicates'] as const) {
    const value = options[name];
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`webhooks.${name} must be between 0 and 1, got ${String(value)}`);
  }
  const delay = options.delayMs;
  const delays = delay === undefined ? [] : typeof delay === 'number' ? [delay] : [...delay];
  if (delays.some((d) => !Number.isInteger(d) || d < 0) || (delays.length === 2 && delays[0] > delays[1])) {
    throw new RangeError(`webhooks.delayMs must be a whole number of ms or [min, max], got ${JSON.stringify(delay)}`);
  }
}

function stringPairs(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new WebhookRequestError(422, `${name} must be an object of string values`);
  }
  return { ...(value as Record<string, string>) };
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** At most 60 characters of what arrived: enough to recognise it, never a whole body. */
function excerpt(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

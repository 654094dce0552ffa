import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface RecordsChangedEvent {
  cursor: string;
  resource: string;
  kind: string;
  ids: string[];
  source: string;
  committedAt: string;
}

export interface Subscriber {
  readonly events: RecordsChangedEvent[];
  readonly errors: unknown[];
  readonly client: Client;
  /** Resolves once `ids` of all events together reach `count`. */
  waitForIds(count: number, timeoutMs?: number): Promise<string[]>;
  ids(): string[];
  /** Resolves when the subscription ends (completed or failed). */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export const RECORDS_CHANGED = 'subscription($resources: [Resource!], $after: String) { recordsChanged(resources: $resources, after: $after) { cursor resource kind ids source committedAt } }';

export interface SubscribeOptions {
  url: string;
  authorization?: string;
  resources?: string[];
  after?: string;
  headers?: Record<string, string>;
}

/** A real graphql-ws client (the `ws` package on Node 20) subscribed to recordsChanged. */
export function subscribe(options: SubscribeOptions): Subscriber {
  const events: RecordsChangedEvent[] = [];
  const errors: unknown[] = [];
  const headers = options.headers;
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: options.url,
    webSocketImpl: headers ? HeaderSocket : WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: options.authorization ? { Authorization: options.authorization } : undefined,
  });
  let listeners: (() => void)[] = [];
  const ids = () => events.flatMap((e) => e.ids);
  const ended = new Promise<void>((resolve) => {
    client.subscribe<{ recordsChanged: RecordsChangedEvent }>(
      { query: RECORDS_CHANGED, variables: { resources: options.resources, after: options.after } },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data?.recordsChanged) events.push(result.data.recordsChanged);
          for (const listener of listeners) listener();
        },
        error: (error) => {
          errors.push(error);
          for (const listener of listeners) listener();
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return {
    events,
    errors,
    client,
    ended,
    ids,
    waitForIds(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (ids().length >= count) {
            listeners = listeners.filter((l) => l !== check);
            clearTimeout(timer);
            resolve(ids());
          } else if (errors.length) {
            clearTimeout(timer);
            reject(new Error(`subscription failed: ${JSON.stringify(errors, Object.getOwnPropertyNames(errors[0] ?? {}))}`));
          }
        };
        const timer = setTimeout(() => reject(new Error(`timed out with ${ids().length} of ${count} ids: ${JSON.stringify(ids())}`)), timeoutMs);
        listeners.push(check);
        check();
      });
    },
    async close() {
      await client.dispose();
    },
  };
}

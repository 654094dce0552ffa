import { Writable } from 'node:stream';
import pino from 'pino';
import type { AppConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { UpstreamClient, type SearchCall } from '../../src/sync/http-client.js';
import type { SearchBody } from '../../src/sync/paginators.js';
import { RateLimiter } from '../../src/sync/rate-limiter.js';

/** The real client, with a hook that runs after each answered search: to change upstream at an exact point of a crawl. */
export class HookedClient extends UpstreamClient {
  searches = 0;
  hook?: (body: SearchBody, count: number, path: string) => void;

  constructor(config: Readonly<AppConfig>) {
    super({ upstream: config.upstream, limiter: new RateLimiter({ maxRequests: 100_000 }), retryBaseMs: 5 });
  }

  override async search(path: string, body: object, call: SearchCall): Promise<unknown> {
    const response = await super.search(path, body, call);
    this.searches++;
    this.hook?.(body as SearchBody, this.searches, path);
    return response;
  }
}

/** A pino logger that keeps its lines, for tests that check what the engine reported. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

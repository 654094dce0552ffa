import { Agent, request, type Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config.js';
import { ConfigError, UpstreamError } from '../errors/index.js';
import { upstreamRateLimited, upstreamRequests, upstreamRetries } from '../observability/metrics.js';
import { isAbort, systemClock, type Clock } from './clock.js';
import type { RateLimiter } from './rate-limiter.js';
import {
  actionForStatus,
  backoffMs,
  isTransientNetworkError,
  networkErrorCode,
  retryAfterMs,
  type ResponseAction,
} from './retry-policy.js';

/**
 * POSTs searches upstream (and sends the other JSON requests, e.g. webhook subscriptions) and
 * returns parsed JSON bodies, retrying what is transient.
 *
 * A small loop over undici's `request()` rather than its RetryAgent: a 200 whose body is not
 * JSON or is cut short must be retried too (RetryAgent decides on the status, before the body),
 * every attempt must take a slot of the shared rate limiter (RetryAgent's retries would bypass
 * it), and a 429's Retry-After must pause the other resources as well. `request()` with a string
 * body, not `fetch()`: the body can be sent again as is.
 */
export interface UpstreamClientOptions {
  upstream: UpstreamConfig;
  limiter: RateLimiter;
  clock?: Clock;
  /** First backoff wait; later ones grow by `upstream.backoffFactor` (default: UPSTREAM_RETRY_BASE_MS). */
  retryBaseMs?: number;
  /** Longest wait a Retry-After may impose (default 120 s). */
  maxRetryAfterMs?: number;
  /** 429s allowed per request before giving up (default: UPSTREAM_MAX_RATE_LIMITED_RETRIES). */
  maxRateLimitedRetries?: number;
  dispatcher?: Dispatcher;
}

/** Per-run counters the client adds to. */
export interface RequestStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

export interface SearchCall {
  resource: string;
  signal?: AbortSignal;
  stats?: RequestStats;
}

export type JsonMethod = 'GET' | 'POST' | 'DELETE';

export interface JsonCall extends SearchCall {
  /**
   * `all` (default): every transient failure is retried. `refused-only`, for a request that must
   * not take effect twice (creating a webhook subscription): sent again only when the upstream
   * certainly did not act on it (a 429 or a refused connection); any other transient failure
   * throws a retryable UpstreamError at once.
   */
  retry?: 'all' | 'refused-only';
}

type Attempt =
  | { action: 'ok'; body: unknown }
  | { action: Exclude<ResponseAction, 'ok'>; status: number | undefined; reason: string; message: string; retryAfter?: number; refused?: boolean };

export class UpstreamClient {
  private readonly clock: Clock;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxRateLimitedRetries: number;

  constructor(private readonly options: UpstreamClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.retryBaseMs = options.retryBaseMs ?? options.upstream.retryBaseMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.maxRateLimitedRetries = options.maxRateLimitedRetries ?? options.upstream.maxRateLimitedRetries;
    this.ownsDispatcher = !options.dispatcher;
    const timeout = options.upstream.timeoutMs;
    this.dispatcher = options.dispatcher ?? new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout } });
  }

  /** POSTs `body` to `path` (relative to UPSTREAM_BASE_URL); resolves with the parsed JSON body. */
  search(path: string, body: object, call: SearchCall): Promise<unknown> {
    return this.requestJson('POST', path, body, call);
  }

  /**
   * Sends `method path` (relative to UPSTREAM_BASE_URL) with `body` as JSON, if any, through the
   * same limiter, headers and retry policy as searches; resolves with the parsed JSON body (null
   * for a DELETE answered with an empty body). Errors never contain the API key.
   */
  async requestJson(method: JsonMethod, path: string, body: object | undefined, call: JsonCall): Promise<unknown> {
    this.checkSettings();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const what = `${method} ${path}`;
    let retries = 0;
    let rateLimited = 0;
    for (;;) {
      const attempt = await this.attempt(method, path, payload, call);
      if (attempt.action === 'ok') return attempt.body;
      if (attempt.action === 'fail-auth') throw this.authError(attempt.status, attempt.message);
      if (attempt.action === 'fail') {
        throw new UpstreamError(`upstream rejected ${what} (HTTP ${attempt.status ?? '?'}): ${attempt.message}`, attempt.status, false, 'http');
      }
      const limited = attempt.action === 'rate-limited';
      const kind = attempt.reason === 'network' ? 'network' : attempt.reason === 'body' ? 'body' : 'http';
      if (call.retry === 'refused-only' && !limited && !attempt.refused) {
        throw new UpstreamError(`upstream failed on ${what}, not retried as the upstream may have acted on it: ${attempt.message}`, attempt.status, true, kind);
      }
      if (limited ? rateLimited >= this.maxRateLimitedRetries : retries >= this.options.upstream.maxRetries) {
        const count = limited ? rateLimited : retries;
        throw new UpstreamError(
          `upstream still failing on ${what} after ${count} ${limited ? 'rate-limited ' : ''}retr${count === 1 ? 'y' : 'ies'}: ${attempt.message}`,
          attempt.status,
          true,
          kind,
        );
      }
      let wait: number;
      if (limited) {
        rateLimited++;
        wait = attempt.retryAfter ?? backoffMs(rateLimited, this.retryBaseMs, this.options.upstream.backoffFactor);
        // The limit is shared by all endpoints: every resource waits, not just this one.
        this.options.limiter.pauseUntil(this.clock.now() + wait);
      } else {
        retries++;
        wait = attempt.retryAfter ?? backoffMs(retries, this.retryBaseMs, this.options.upstream.backoffFactor);
      }
      if (call.stats) call.stats.retries++;
      upstreamRetries.inc({ resource: call.resource, reason: attempt.reason });
      await this.clock.sleep(wait, call.signal);
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async attempt(method: JsonMethod, path: string, payload: string | undefined, call: SearchCall): Promise<Attempt> {
    const release = await this.options.limiter.acquire(call.signal);
    if (call.stats) call.stats.requests++;
    try {
      const response = await request(`${this.options.upstream.baseUrl}${path}`, {
        method,
        headers: this.headers(payload !== undefined),
        body: payload,
        signal: call.signal,
        dispatcher: this.dispatcher,
        headersTimeout: this.options.upstream.timeoutMs,
        bodyTimeout: this.options.upstream.timeoutMs,
      });
      const text = await response.body.text();
      release();
      upstreamRequests.inc({ resource: call.resource, status: String(response.statusCode) });
      if (method === 'DELETE' && text === '' && actionForStatus(response.statusCode) === 'ok') return { action: 'ok', body: null };
      return this.classify(response.statusCode, response.headers, text, call);
    } catch (error) {
      release();
      if (isAbort(error, call.signal)) throw error;
      upstreamRequests.inc({ resource: call.resource, status: 'network' });
      if (isTransientNetworkError(error)) {
        const code = networkErrorCode(error);
        return { action: 'retry', status: undefined, reason: 'network', message: `network error ${code}`, refused: code === 'ECONNREFUSED' };
      }
      throw new UpstreamError(`cannot reach the upstream API: ${this.redact(error instanceof Error ? error.message : String(error))}`, undefined, false, 'network');
    }
  }

  private classify(status: number, headers: Record<string, string | string[] | undefined>, text: string, call: SearchCall): Attempt {
    const action = actionForStatus(status);
    if (action === 'ok') {
      try {
        return { action, body: JSON.parse(text) as unknown };
      } catch {
        // A proxy's HTML page or a body cut short: transient, and never a partial page.
        return { action: 'retry', status, reason: 'body', message: `HTTP ${status} with a body that is not complete JSON (${text.length} characters)` };
      }
    }
    const message = `HTTP ${status}: ${this.serverMessage(text)}`;
    if (action === 'rate-limited') {
      if (call.stats) call.stats.rateLimited++;
      upstreamRateLimited.inc({ resource: call.resource });
    }
    const retryAfter = action === 'rate-limited' || status === 503
      ? retryAfterMs(headers['retry-after'], this.clock.now(), this.maxRetryAfterMs)
      : undefined;
    return { action, status, reason: action === 'rate-limited' ? '429' : String(status), message, retryAfter };
  }

  /**
   * A server started without upstream settings (it can still serve the mirror) fails each run
   * with this, rather than failing to start; the CLI's `sync` checks them when config loads.
   */
  private checkSettings(): void {
    const { baseUrl, apiKey, userEmail } = this.options.upstream;
    const missing = [!baseUrl && 'UPSTREAM_BASE_URL', !apiKey && 'UPSTREAM_API_KEY', !userEmail && 'UPSTREAM_USER_EMAIL'].filter(Boolean);
    if (missing.length > 0) throw new ConfigError(`cannot sync without ${missing.join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in the environment`);
  }

  private headers(withBody: boolean): Record<string, string> {
    const { upstream } = this.options;
    return {
      ...upstream.extraHeaders,
      ...(withBody ? { 'content-type': 'application/json' } : {}),
      accept: 'application/json',
      [upstream.apiKeyHeader]: upstream.apiKey ?? '',
      [upstream.userEmailHeader]: upstream.userEmail ?? '',
    };
  }

  private authError(status: number | undefined, message: string): UpstreamError {
    const { apiKeyHeader, userEmailHeader } = this.options.upstream;
    return new UpstreamError(
      `upstream refused the credentials (${message}): check UPSTREAM_API_KEY (sent in header ${apiKeyHeader}, see UPSTREAM_API_KEY_HEADER) ` +
        `and UPSTREAM_USER_EMAIL (header ${userEmailHeader}, see UPSTREAM_USER_EMAIL_HEADER)`,
      status,
      false,
      'auth',
    );
  }

  /** The server's own explanation, short and with the key blanked should the server echo it. */
  private serverMessage(text: string): string {
    let message = text;
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
      const found = typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : undefined;
      if (found !== undefined) message = found;
    } catch {
      // not JSON: show the start of the text
    }
    message = message.replace(/\s+/g, ' ').trim();
    return this.redact(message.length > 300 ? `${message.slice(0, 300)}...` : message || '(empty body)');
  }

  /** `text` with the API key blanked: for messages built from what the upstream sent. */
  redact(text: string): string {
    const key = this.options.upstream.apiKey;
    return key && key.length >= 4 ? text.split(key).join('***') : text;
  }
}

/**
 * What the client does with each upstream outcome, as data (the Airbyte way): a table from
 * HTTP status to action, plus the transient network failures. Anything not listed fails the
 * request: a 400 means our request is wrong and sending it again cannot help.
 */
export type ResponseAction = 'ok' | 'retry' | 'rate-limited' | 'fail-auth' | 'fail';

export const STATUS_ACTIONS: Readonly<Record<number, ResponseAction>> = Object.freeze({
  401: 'fail-auth',
  403: 'fail-auth',
  408: 'retry',
  429: 'rate-limited',
  500: 'retry',
  502: 'retry',
  503: 'retry',
  504: 'retry',
});

export function actionForStatus(status: number): ResponseAction {
  if (status >= 200 && status < 300) return 'ok';
  return STATUS_ACTIONS[status] ?? 'fail';
}

/** Connection resets, refusals and timeouts (Node and undici codes): the request may not have arrived. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

export function isTransientNetworkError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  }
  return false;
}

export function networkErrorCode(error: unknown): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'unknown';
}

/** Exponential backoff: `base · factor^(retry − 1)`, so 2, 4 and 8 s with the defaults. */
export function backoffMs(retry: number, baseMs: number, factor: number): number {
  return baseMs * factor ** (retry - 1);
}

/**
 * A `Retry-After` header in milliseconds from `nowMs`: delta-seconds or an HTTP date, capped at
 * `capMs` (a broken or hostile header must not park the sync for a day). Undefined when absent
 * or unreadable, so the caller falls back to its backoff.
 */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number, capMs: number): number | undefined {
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1_000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(Math.max(ms, 0), capMs);
}

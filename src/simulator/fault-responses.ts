import type { OutgoingHttpHeaders } from 'node:http';
import type { Fault } from './faults.js';

/**
 * What each fault does to a response, as data: the server applies it. Kept apart from the plan
 * (faults.ts) so the plan stays free of HTTP and these stay free of state.
 */
export type FaultEffect =
  /** Answer with this instead of the real response. */
  | { type: 'respond'; status: number; body: string; headers: OutgoingHttpHeaders }
  /** Destroy the socket without answering. */
  | { type: 'reset' }
  /** Answer normally, after a delay. */
  | { type: 'delay'; ms: number }
  /** Answer 200 with the real JSON cut in half. */
  | { type: 'truncate' };

const JSON_TYPE = 'application/json; charset=utf-8';

export function faultEffect(fault: Fault, nowMs: number = Date.now()): FaultEffect {
  switch (fault.kind) {
    case '429':
      return rateLimited({ 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    case '429-date':
      // HTTP dates have whole seconds: round up so the client never retries early.
      return rateLimited({ 'retry-after': new Date(Math.ceil(nowMs / 1_000 + (fault.retryAfterSeconds ?? 1)) * 1_000).toUTCString() });
    case '429-bare':
      return rateLimited({});
    case '500':
    case '502':
    case '503':
    case '504':
      return { type: 'respond', status: Number(fault.kind), body: JSON.stringify({ message: `simulated upstream error ${fault.kind}` }), headers: { 'content-type': JSON_TYPE } };
    case 'reset':
      return { type: 'reset' };
    case 'slow':
      return { type: 'delay', ms: fault.delayMs ?? 1_000 };
    case 'non-json':
      // What a proxy or maintenance page sends with a 200 in front of a real API.
      return { type: 'respond', status: 200, body: '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } };
    case 'truncated':
      return { type: 'truncate' };
  }
}

/** The first half of a JSON text (by characters, so the cut never splits a UTF-8 sequence). */
export function truncateJson(json: string): string {
  return json.slice(0, Math.floor(json.length / 2));
}

function rateLimited(headers: OutgoingHttpHeaders): FaultEffect {
  return { type: 'respond', status: 429, body: JSON.stringify({ message: 'rate limit exceeded' }), headers: { 'content-type': JSON_TYPE, ...headers } };
}

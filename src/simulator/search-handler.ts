import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { DriftController } from './drift.js';
import { faultEffect, truncateJson } from './fault-responses.js';
import type { FaultPlan } from './faults.js';
import { checkAuth, message } from './api-auth.js';
import { readBody, send } from './http-io.js';
import type { RollingWindowLimiter } from './rate-limit.js';
import { isResourceName, type ResourceName } from './resources.js';
import { BadSearchError, parsePaging, parseSearchQuery } from './search-query.js';
import { countStatus, type SimulatorStats } from './stats.js';
import type { UpstreamStore } from './store.js';
import { referenceRouteOf, type ReferenceData } from './reference-data.js';
import { handleWebhookRequest, WEBHOOKS_PATH } from './webhook-routes.js';
import type { WebhookHub } from './webhooks.js';

/** How the API side of the simulator is set up (see SimulatorOptions for the defaults). */
export interface ApiSettings {
  apiKey: string;
  userEmail: string;
  apiKeyHeader: string;
  userEmailHeader: string;
  /** `data`: `{"data": [...]}`; `bare`: the array itself. */
  envelope: 'data' | 'bare';
  /** Add `X-Total-Count` (an upper bound: it still counts deleted records). */
  totalCountHeader: boolean;
}

export interface ApiDeps {
  store: UpstreamStore;
  reference: ReferenceData;
  faults: FaultPlan;
  drift: DriftController;
  limiter: RollingWindowLimiter | null;
  stats: SimulatorStats;
  settings: ApiSettings;
  /** Wake-ups of requests delayed by a `slow` fault: closing the simulator calls them all. */
  sleepers: Set<() => void>;
  webhooks: WebhookHub;
}

const MAX_BODY_BYTES = 1 << 20;
const SEARCH_PATH = /^\/v1\/resource\/([^/]+)\/search$/;

/**
 * Answers one API request. The order of checks is the one a client meets on the real thing:
 * route, method, rate limit (a refused request takes no slot), injected fault, auth, body,
 * search. Query-string parameters are never read: paging lives in the body only.
 */
export async function handleApiRequest(req: IncomingMessage, res: ServerResponse, path: string, deps: ApiDeps): Promise<void> {
  deps.stats.requests++;
  const body = await readBody(req, MAX_BODY_BYTES);
  const reply = (status: number, payload: string, headers?: OutgoingHttpHeaders) => {
    countStatus(deps.stats, status);
    send(res, status, payload, headers);
  };
  const webhooks = WEBHOOKS_PATH.test(path);
  const resource = resourceOf(path);
  const reference = referenceRouteOf(path);
  if (reference) {
    if (req.method !== reference.method) return reply(405, message(`${path} takes ${reference.method} requests`), { allow: reference.method });
  } else if (!resource && !webhooks) return reply(404, message('no such endpoint: use POST /v1/resource/{people|companies|opportunities|projects}/search or /v1/webhooks'));
  if (resource && req.method !== 'POST') return reply(405, message('searches are POST requests'), { allow: 'POST' });

  const admission = deps.limiter?.admit();
  if (admission && !admission.admitted) {
    return reply(429, message('rate limit exceeded'), { 'retry-after': String(admission.retryAfterSeconds) });
  }
  if (!resource && !reference) return handleWebhookRequest(req, path, body, deps.webhooks, deps.settings, reply);

  const fault = deps.faults.take();
  const effect = fault && faultEffect(fault);
  if (effect?.type === 'reset') {
    countStatus(deps.stats, 0);
    req.socket.destroy();
    return;
  }
  if (effect?.type === 'respond') return reply(effect.status, effect.body, effect.headers);
  if (effect?.type === 'delay') {
    await sleep(effect.ms, deps.sleepers);
    if (res.destroyed) return;
  }

  const authProblem = checkAuth(req, deps.settings);
  if (authProblem) return reply(401, message(authProblem));

  // Past the webhooks, a request is either a reference list or a search.
  if (!resource) {
    const route = reference!;
    let records = deps.reference.list(route.list);
    if (route.method === 'POST') {
      // Users are searched like the records: pages in the JSON body, 1-based.
      let paging;
      try {
        paging = parsePaging(parseBody(body));
      } catch (error) {
        if (error instanceof BadSearchError) return reply(400, message(error.message));
        throw error;
      }
      const page = deps.reference.usersIgnorePageNumber ? 1 : paging.page_number;
      records = records.slice((page - 1) * paging.page_size, page * paging.page_size);
    }
    const listed = JSON.stringify(deps.settings.envelope === 'data' ? { data: records } : records);
    return reply(200, effect?.type === 'truncate' ? truncateJson(listed) : listed);
  }

  let payload: string;
  let totalCountHint: number;
  try {
    const page = deps.store.search(resource, parseSearchQuery(parseBody(body), resource));
    payload = JSON.stringify(deps.settings.envelope === 'data' ? { data: page.records } : page.records);
    totalCountHint = page.totalCountHint;
  } catch (error) {
    if (error instanceof BadSearchError) return reply(400, message(error.message));
    throw error;
  }
  deps.stats.byResource[resource]++;
  // Drift lands between this page and the next request, like edits made while a client crawls.
  deps.drift.afterSearch(resource);
  const headers: OutgoingHttpHeaders = deps.settings.totalCountHeader ? { 'x-total-count': String(totalCountHint) } : {};
  reply(200, effect?.type === 'truncate' ? truncateJson(payload) : payload, headers);
}

function resourceOf(path: string): ResourceName | undefined {
  const match = SEARCH_PATH.exec(path);
  return match && isResourceName(match[1]) ? match[1] : undefined;
}

/** An empty body means "all defaults", as on the real API; anything else must be JSON. */
function parseBody(body: { text: string; tooLarge: boolean }): unknown {
  if (body.tooLarge) throw new BadSearchError(`the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (body.text.trim() === '') return {};
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw new BadSearchError('the body is not valid JSON');
  }
}


function sleep(ms: number, sleepers: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

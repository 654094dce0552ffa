import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DriftController, DriftOptions } from './drift.js';
import type { FaultPlan, FaultSpec, RandomFaults } from './faults.js';
import { readBody, send, streamJson } from './http-io.js';
import { isResourceName, SIMULATED_RESOURCES } from './resources.js';
import type { SimulatorStats } from './stats.js';
import type { UpstreamStore } from './store.js';

/**
 * Test hooks under `/__simulator/`, for checks from another process (the CLI simulator, the
 * benchmark). No auth, no rate limit, no faults, not counted in stats: they are not part of the
 * upstream API and must never be used by the mirror itself.
 *
 *   GET  /__simulator/records/{resource}  every live record, as a JSON array (streamed); with
 *                                         ?format=ndjson one record per line, for line-by-line parsing
 *   GET  /__simulator/ids/{resource}      every live id, as a JSON array
 *   GET  /__simulator/stats               request counters, live counts, drift and fault totals
 *   POST /__simulator/faults              {"enqueue": [...]} | {"random": {...} | null} | {"clear": true}
 *   POST /__simulator/drift               drift options, or false to stop drifting
 *   GET  /__simulator/behaviour           every resource's behaviour now
 *   POST /__simulator/behaviour           {"resource": "people", ...SearchBehaviour settings}: changes what
 *                                         that resource honours; answers {resource, behaviour} (all of it)
 */

export interface InspectionDeps {
  store: UpstreamStore;
  faults: FaultPlan;
  drift: DriftController;
  stats: SimulatorStats;
}

const RESOURCE_ROUTE = /^\/__simulator\/(records|ids)\/([^/]+)$/;

export async function handleInspection(req: IncomingMessage, res: ServerResponse, url: URL, deps: InspectionDeps): Promise<void> {
  const path = url.pathname;
  const body = await readBody(req, 1 << 20);
  const resourceRoute = RESOURCE_ROUTE.exec(path);
  try {
    if (req.method === 'GET' && resourceRoute && isResourceName(resourceRoute[2])) {
      const table = deps.store.table(resourceRoute[2]);
      return resourceRoute[1] === 'records'
        ? await streamJson(res, table.snapshot(), url.searchParams.get('format') === 'ndjson' ? 'ndjson' : 'array')
        : send(res, 200, JSON.stringify(table.liveIds()));
    }
    if (req.method === 'GET' && path === '/__simulator/stats') return send(res, 200, JSON.stringify(statsReport(deps)));
    if (req.method === 'POST' && path === '/__simulator/faults') {
      applyFaultControl(deps.faults, JSON.parse(body.text || '{}') as FaultControl);
      return send(res, 200, JSON.stringify({ pending: deps.faults.pending }));
    }
    if (req.method === 'POST' && path === '/__simulator/drift') {
      deps.drift.configure(JSON.parse(body.text || 'false') as DriftOptions | false);
      return send(res, 200, JSON.stringify({ enabled: deps.drift.enabled }));
    }
    if (req.method === 'GET' && path === '/__simulator/behaviour') {
      return send(res, 200, JSON.stringify(Object.fromEntries(SIMULATED_RESOURCES.map((resource) => [resource, deps.store.behaviourOf(resource)]))));
    }
    if (req.method === 'POST' && path === '/__simulator/behaviour') {
      const { resource, ...partial } = JSON.parse(body.text || '{}') as { resource?: unknown };
      if (typeof resource !== 'string' || !isResourceName(resource)) {
        throw new RangeError(`resource must be one of ${SIMULATED_RESOURCES.join(', ')}, got ${JSON.stringify(resource)}`);
      }
      deps.store.setBehaviour(resource, partial);
      return send(res, 200, JSON.stringify({ resource, behaviour: deps.store.behaviourOf(resource) }));
    }
  } catch (error) {
    return send(res, 400, JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
  }
  send(res, 404, JSON.stringify({ message: 'unknown simulator hook' }));
}

interface FaultControl {
  clear?: boolean;
  enqueue?: FaultSpec[];
  random?: RandomFaults | null;
}

function applyFaultControl(faults: FaultPlan, control: FaultControl): void {
  if (control.clear) faults.clear();
  if (control.enqueue) faults.enqueue(control.enqueue);
  if (control.random !== undefined) faults.setRandom(control.random);
}

function statsReport(deps: InspectionDeps) {
  return {
    ...deps.stats,
    live: Object.fromEntries(SIMULATED_RESOURCES.map((resource) => [resource, deps.store.count(resource)])),
    drift: { enabled: deps.drift.enabled, ...deps.drift.totals },
    faults: { pending: deps.faults.pending, injected: deps.faults.injected },
  };
}

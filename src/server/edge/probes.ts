import type { FastifyRequest } from 'fastify';

/** Orchestrators' probes: never rate limited, and logged only when they fail. */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Scrapes come as often as probes: logged only when refused or failing. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set([...PROBE_ROUTES, '/metrics']);

export const routeOf = (request: FastifyRequest): string | undefined => request.routeOptions.url;

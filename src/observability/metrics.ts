import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics, in one registry the `/metrics` route serves. The sync engine and the
 * GraphQL server update them; nothing else defines metrics.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mirrorgraph_' });

export const syncRuns = new Counter({
  name: 'mirrorgraph_sync_runs_total',
  help: 'Sync runs finished, by resource, mode and outcome (succeeded, failed, interrupted).',
  labelNames: ['resource', 'mode', 'outcome'] as const,
  registers: [registry],
});

export const syncRunDuration = new Histogram({
  name: 'mirrorgraph_sync_run_duration_seconds',
  help: 'Duration of finished sync runs.',
  labelNames: ['resource', 'mode', 'outcome'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [registry],
});

export const syncRecords = new Counter({
  name: 'mirrorgraph_sync_records_total',
  help: 'Records written by the sync, by resource and action (upserted, deleted, rejected).',
  labelNames: ['resource', 'action'] as const,
  registers: [registry],
});

export const upstreamRequests = new Counter({
  name: 'mirrorgraph_upstream_requests_total',
  help: 'HTTP requests sent upstream, by resource and response status (or "network" for resets and timeouts).',
  labelNames: ['resource', 'status'] as const,
  registers: [registry],
});

export const upstreamRetries = new Counter({
  name: 'mirrorgraph_upstream_retries_total',
  help: 'Upstream requests retried, by resource and reason (429, 5xx status, network).',
  labelNames: ['resource', 'reason'] as const,
  registers: [registry],
});

export const upstreamRateLimited = new Counter({
  name: 'mirrorgraph_upstream_rate_limited_total',
  help: 'Upstream 429 responses.',
  labelNames: ['resource'] as const,
  registers: [registry],
});

export const syncCursorLag = new Gauge({
  name: 'mirrorgraph_sync_cursor_lag_seconds',
  help: "Seconds between now and each resource's stored cursor (how far behind the mirror may be).",
  labelNames: ['resource'] as const,
  registers: [registry],
});

export const syncCapability = new Gauge({
  name: 'mirrorgraph_sync_capability',
  help: 'What each resource search is believed to honour (1) or not (0), by capability and source (configured, probed, assumed).',
  labelNames: ['resource', 'capability', 'source'] as const,
  registers: [registry],
});

export const syncStrategy = new Gauge({
  name: 'mirrorgraph_sync_strategy',
  help: 'The crawl strategy each resource uses (1) among those it could (0).',
  labelNames: ['resource', 'strategy'] as const,
  registers: [registry],
});

export const syncCandidates = new Counter({
  name: 'mirrorgraph_sync_deletion_candidates_total',
  help: 'Deletion candidates of full reconciles, by outcome: confirmed (an ids lookup found them gone) or alive (found by the lookup or a re-check, and upserted).',
  labelNames: ['resource', 'outcome'] as const,
  registers: [registry],
});

export const graphqlRequests = new Counter({
  name: 'mirrorgraph_graphql_requests_total',
  help: 'GraphQL requests, by operation name and outcome (ok, error).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: 'mirrorgraph_graphql_request_duration_seconds',
  help: 'GraphQL request duration by operation name.',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const graphqlExecutions = new Counter({
  name: 'mirrorgraph_graphql_executions_total',
  help: 'Operations executed, by executor: compiled by graphql-jit (jit) or interpreted by graphql-js.',
  labelNames: ['executor'] as const,
  registers: [registry],
});

export const subgraphRequests = new Counter({
  name: 'mirrorgraph_subgraph_requests_total',
  help: 'Requests the gateway sent to each subgraph (one per plan step), by outcome: ok, error (the subgraph answered with errors) or unavailable (no answer: refused, timed out, not GraphQL).',
  labelNames: ['subgraph', 'outcome'] as const,
  registers: [registry],
});

export const subgraphDuration = new Histogram({
  name: 'mirrorgraph_subgraph_request_duration_seconds',
  help: "Time each subgraph took to answer the gateway's request.",
  labelNames: ['subgraph'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const supergraphCompositions = new Counter({
  name: 'mirrorgraph_supergraph_compositions_total',
  help: 'Compositions of the supergraph, by outcome: changed (a new supergraph serves), unchanged, failed (the last good one keeps serving).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const webhookNotifications = new Counter({
  name: 'mirrorgraph_webhook_notifications_total',
  help: 'Upstream webhook notifications received, by outcome: accepted (in the inbox), unauthorized (no or a wrong secret), invalid (a malformed body).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const webhookInboxDepth = new Gauge({
  name: 'mirrorgraph_webhook_inbox_depth',
  help: 'Webhook notifications received and not yet applied, by resource (as this process last counted).',
  labelNames: ['resource'] as const,
  registers: [registry],
});

export const webhookApplied = new Counter({
  name: 'mirrorgraph_webhook_records_total',
  help: 'Records named by webhook notifications and applied, by resource and outcome: upserted (changed), unchanged, deleted (confirmed gone), alive (a delete for a record that still exists), absent (not found for a new or update).',
  labelNames: ['resource', 'outcome'] as const,
  registers: [registry],
});

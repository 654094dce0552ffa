/** The sync engine's public surface: what the server, the CLI and the scheduler wiring import. */
export { createSyncEngine, SyncEngine, type SyncEngineOptions } from './engine.js';
export { startSyncScheduler, type SchedulerOptions, type SyncScheduler } from './scheduler.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { UpstreamClient, type UpstreamClientOptions } from './http-client.js';
export type { ResourceSyncStatus, SyncController, SyncProgress, TriggerOptions } from './controller.js';
export { RESOURCES, RESOURCE_NAMES, resourceByName, type ResourceDefinition, type ResourceName } from './resources.js';

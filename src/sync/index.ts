/** The sync engine's public surface: what the server, the CLI and the scheduler wiring import. */
export { createSyncEngine, SyncEngine, type SyncEngineOptions } from './engine.js';
export { startSyncScheduler, type SchedulerOptions, type SyncScheduler } from './scheduler.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { UpstreamClient, type UpstreamClientOptions } from './http-client.js';
export type { ResourceSyncStatus, SyncController, SyncProgress, TriggerOptions } from './controller.js';
export { RECORD_RESOURCES, RECORD_RESOURCE_NAMES, recordResourceByName, type RecordResourceDefinition, type RecordResourceName } from '../resources/resource-table.js';

import { SIMULATED_RESOURCES, type ResourceName } from './resources.js';

/** Counters of API traffic (the `/__simulator` test hooks are not counted). */
export interface SimulatorStats {
  /** API requests received, whatever their outcome. */
  requests: number;
  /** Responses by status; a `reset` fault (socket destroyed, no response) counts under 0. */
  byStatus: Record<number, number>;
  /** Searches answered with a page (200), per resource. */
  byResource: Record<ResourceName, number>;
}

export function createStats(): SimulatorStats {
  return {
    requests: 0,
    byStatus: {},
    byResource: Object.fromEntries(SIMULATED_RESOURCES.map((resource) => [resource, 0])) as Record<ResourceName, number>,
  };
}

/** Zeroes the counters in place, so references held by tests stay valid. */
export function resetStats(stats: SimulatorStats): void {
  const fresh = createStats();
  stats.requests = 0;
  stats.byStatus = fresh.byStatus;
  stats.byResource = fresh.byResource;
}

export function countStatus(stats: SimulatorStats, status: number): void {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
}

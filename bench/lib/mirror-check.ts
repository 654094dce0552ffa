import { isDeepStrictEqual } from 'node:util';
import mysql from 'mysql2/promise';
import { SIMULATED_RESOURCES, type ResourceName } from '../../src/simulator/index.js';
import { coerceId } from '../../src/sync/value-coercions.js';
import { poolOptions, type BenchDatabase } from './database.js';

/**
 * Is the mirror exact? Every live upstream record (with a usable id) is a live row whose `raw`
 * deep-equals it, and no other row is live. Upstream records come from the simulator's
 * `/__simulator/records/<resource>?format=ndjson` hook, rows straight from MariaDB.
 */
export interface MirrorCheck {
  exact: boolean;
  perResource: Record<string, { upstream: number; liveRows: number; missing: number; markedDeleted: number; extraLive: number; rawDiffers: number; example?: string }>;
}

async function upstreamRecords(simulatorUrl: string, resource: ResourceName): Promise<Map<string, unknown>> {
  const response = await fetch(`${simulatorUrl}/__simulator/records/${resource}?format=ndjson`);
  if (!response.ok) throw new Error(`simulator hook answered HTTP ${response.status}`);
  const byId = new Map<string, unknown>();
  for (const line of (await response.text()).split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { id?: unknown };
    const id = coerceId(record.id);
    if (id !== null) byId.set(id, record);
  }
  return byId;
}

export async function checkMirror(simulatorUrl: string, database: BenchDatabase['config']): Promise<MirrorCheck> {
  const pool = mysql.createPool(poolOptions(database, 2));
  const perResource: MirrorCheck['perResource'] = {};
  try {
    for (const resource of SIMULATED_RESOURCES) {
      const expected = await upstreamRecords(simulatorUrl, resource);
      const [rows] = await pool.query(`SELECT id, raw, deleted_at FROM \`${resource}\``);
      const seen = new Set<string>();
      const result = { upstream: expected.size, liveRows: 0, missing: 0, markedDeleted: 0, extraLive: 0, rawDiffers: 0 } as MirrorCheck['perResource'][string];
      for (const row of rows as { id: string; raw: unknown; deleted_at: Date | null }[]) {
        const id = String(row.id);
        const live = row.deleted_at === null;
        if (live) result.liveRows++;
        const record = expected.get(id);
        if (record === undefined) {
          if (live) result.extraLive++;
          continue;
        }
        seen.add(id);
        if (!live) {
          result.markedDeleted++;
          continue;
        }
        const raw = typeof row.raw === 'string' ? (JSON.parse(row.raw) as unknown) : row.raw;
        if (!isDeepStrictEqual(raw, record)) {
          result.rawDiffers++;
          result.example ??= `${resource} ${id}`;
        }
      }
      result.missing = [...expected.keys()].filter((id) => !seen.has(id)).length;
      perResource[resource] = result;
    }
  } finally {
    await pool.end();
  }
  const exact = Object.values(perResource).every((r) => r.missing === 0 && r.markedDeleted === 0 && r.extraLive === 0 && r.rawDiffers === 0);
  return { exact, perResource };
}

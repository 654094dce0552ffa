/**
 * Checks that the mirror in DATABASE_URL is exact against a running simulator: every live
 * upstream record has a live row whose `raw` deep-equals it, and no other row is live. It also
 * checks what the sync's probe found (sync_probes) against what the simulator really does: a
 * proven finding that contradicts the simulator's behaviour counts as a difference.
 *   DATABASE_URL=... node --import tsx scripts/compare-with-simulator.ts http://127.0.0.1:4010
 * Exit 0 when exact, 1 with the differences otherwise.
 */
import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/data-source.js';
import { SyncProbe } from '../src/entities/index.js';
import type { CapabilityName } from '../src/sync/capabilities.js';
import { RECORD_RESOURCES } from '../src/resources/resource-table.js';

/** The simulator's behaviour settings, as GET /__simulator/behaviour reports them. */
interface Behaviour {
  modifiedFilter: boolean;
  createdFilter: boolean;
  idsFilter: boolean;
  sort: 'honoured' | 'ignored';
  unstableTies: boolean;
}

/** What each capability should be found to be, given the simulator's behaviour. */
function truth(behaviour: Behaviour): Record<CapabilityName, boolean> {
  const sorted = behaviour.sort === 'honoured';
  return {
    modifiedMin: behaviour.modifiedFilter,
    modifiedMax: behaviour.modifiedFilter,
    createdMin: behaviour.createdFilter,
    createdMax: behaviour.createdFilter,
    ids: behaviour.idsFilter,
    sortModifiedAsc: sorted,
    sortModifiedDesc: sorted,
    sortCreatedAsc: sorted,
    sortCreatedDesc: sorted,
    stableTies: !behaviour.unstableTies,
  };
}

/** Proven findings that contradict the simulator (a probe that proved nothing is no contradiction). */
async function probeDifferences(base: string, ds: Awaited<ReturnType<typeof openDatabase>>): Promise<string[]> {
  const response = await request(`${base}/__simulator/behaviour`);
  if (response.statusCode !== 200) return [`simulator answered ${response.statusCode} for its behaviour`];
  const behaviours = (await response.body.json()) as Record<string, Behaviour>;
  const differences: string[] = [];
  for (const row of await ds.getRepository(SyncProbe).find()) {
    const expected = truth(behaviours[row.resource]);
    const found = JSON.parse(row.findings) as Partial<Record<CapabilityName, boolean | null>>;
    for (const [name, value] of Object.entries(found)) {
      if (typeof value !== 'boolean' || value === expected[name as CapabilityName]) continue;
      // Shuffled ties can come back in the same order twice by chance: a note, not a difference (nothing is decided on it).
      if (name === 'stableTies' && value) process.stdout.write(`note: ${row.resource} ties looked stable to the probe; the simulator shuffles them\n`);
      else differences.push(`${row.resource}: the probe found ${name} ${value}, the simulator says ${!value}`);
    }
  }
  return differences;
}

async function upstreamRecords(base: string, resource: string): Promise<Map<string, unknown>> {
  const response = await request(`${base}/__simulator/records/${resource}?format=ndjson`);
  if (response.statusCode !== 200) throw new Error(`simulator answered ${response.statusCode} for ${resource}`);
  const records = new Map<string, unknown>();
  for await (const line of createInterface({ input: Readable.from(response.body) })) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { id?: unknown };
    records.set(String(record.id), record);
  }
  return records;
}

async function main(): Promise<void> {
  const base = process.argv[2];
  if (!base) throw new Error('usage: compare-with-simulator.ts <simulator URL>');
  const ds = await openDatabase(loadConfig().database);
  let problems = 0;
  try {
    for (const resource of RECORD_RESOURCES) {
      const expected = await upstreamRecords(base, resource.name);
      const rows: { id: string | number; raw: unknown }[] = await ds
        .createQueryBuilder()
        .select(['CAST(id AS CHAR) AS id', 'raw'])
        .from(resource.name, 't')
        .where('deleted_at IS NULL')
        .getRawMany();
      const differences: string[] = [];
      for (const row of rows) {
        const raw = typeof row.raw === 'string' ? JSON.parse(row.raw) : row.raw;
        const upstream = expected.get(String(row.id));
        if (upstream === undefined) differences.push(`live row ${row.id} is gone upstream`);
        else if (!isDeepStrictEqual(raw, upstream)) differences.push(`row ${row.id} differs from upstream`);
        expected.delete(String(row.id));
      }
      for (const id of expected.keys()) differences.push(`upstream record ${id} is missing`);
      problems += differences.length;
      process.stdout.write(`${resource.name}: ${rows.length} live rows, ${differences.length === 0 ? 'exact' : `${differences.length} differences`}\n`);
      for (const d of differences.slice(0, 10)) process.stdout.write(`  - ${d}\n`);
    }
    const probes = await probeDifferences(base, ds);
    problems += probes.length;
    process.stdout.write(`probe findings: ${probes.length === 0 ? 'agree with the simulator' : `${probes.length} differences`}\n`);
    for (const d of probes.slice(0, 10)) process.stdout.write(`  - ${d}\n`);
  } finally {
    await ds.destroy();
  }
  process.exitCode = problems === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * Checks that the mirror in DATABASE_URL is exact against a running simulator: every live
 * upstream record has a live row whose `raw` deep-equals it, and no other row is live.
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
import { RESOURCES } from '../src/sync/resources.js';

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
    for (const resource of RESOURCES) {
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
  } finally {
    await ds.destroy();
  }
  process.exitCode = problems === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

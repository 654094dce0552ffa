import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { openDatabase } from '../../src/db/data-source.js';
import { generateDataset, SIMULATED_RESOURCES, type ResourceName } from '../../src/simulator/index.js';
import { RowPreparer, statementChunks, writeChunks, type ColumnValues } from '../lib/ceiling-writer.js';
import { poolOptions } from '../lib/database.js';
import { benchConfig } from '../lib/sync-env.js';
import { serveWorker } from '../lib/worker.js';

/**
 * The ceiling of the sync: the simulator's dataset generated in-process and mapped to column
 * values outside the clock, then written with mysql2 multi-row upserts, one connection per
 * resource in parallel (the engine also syncs the four resources at once). Only the writes are
 * timed. Also used to fill a database fast (the GraphQL benchmark).
 */
export interface CeilingInput {
  databaseUrl: string;
  records: number;
  seed: number;
  hostile?: boolean;
  /** Records prepared in memory at a time (bounds the worker's memory at a million). */
  segmentRecords?: number;
  rowsPerStatement?: number;
}

export interface CeilingResult {
  records: number;
  statements: number;
  /** Time spent writing (preparation excluded). */
  seconds: number;
  /** Wall time including generation and mapping. */
  wallSeconds: number;
}

serveWorker<CeilingInput, CeilingResult>({
  async start(input) {
    const wallBegan = performance.now();
    const config = benchConfig(input.databaseUrl, undefined);
    const dataSource = await openDatabase(config.database);
    if (config.database.kind !== 'mysql') throw new Error('MySQL only');
    const pool = mysql.createPool(poolOptions(config.database, SIMULATED_RESOURCES.length));
    try {
      const dataset = generateDataset({ records: input.records, seed: input.seed, hostile: input.hostile });
      const preparers = new Map(SIMULATED_RESOURCES.map((r) => [r, new RowPreparer(dataSource, r)]));
      const segments = Math.max(1, Math.ceil(input.records / (input.segmentRecords ?? 50_000)));
      const syncedAt = new Date(Math.floor(Date.now() / 1_000) * 1_000);
      let records = 0;
      let statements = 0;
      let writeMs = 0;
      for (let segment = 0; segment < segments; segment++) {
        const work = new Map<ResourceName, ColumnValues[][]>();
        for (const resource of SIMULATED_RESOURCES) {
          const data = dataset.resource(resource);
          const per = Math.ceil(data.size / segments);
          const preparer = preparers.get(resource)!;
          const rows = [];
          for (let i = segment * per; i < Math.min(data.size, (segment + 1) * per); i++) {
            const row = preparer.prepare(data.recordAt(i), syncedAt);
            if (row) rows.push(row);
          }
          records += rows.length;
          work.set(resource, [...statementChunks(rows, input.rowsPerStatement)]);
        }
        const began = performance.now();
        const counts = await Promise.all(
          SIMULATED_RESOURCES.map(async (resource) => {
            const connection = await pool.getConnection();
            try {
              return await writeChunks(connection, preparers.get(resource)!.upsertSql(), work.get(resource)!);
            } finally {
              connection.release();
            }
          }),
        );
        writeMs += performance.now() - began;
        statements += counts.reduce((a, b) => a + b, 0);
      }
      return { records, statements, seconds: writeMs / 1_000, wallSeconds: (performance.now() - wallBegan) / 1_000 };
    } finally {
      await pool.end();
      await dataSource.destroy();
    }
  },
});

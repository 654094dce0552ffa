import 'reflect-metadata';
import { openDatabase } from '../../src/db/data-source.js';
import { generateDataset, SIMULATED_RESOURCES } from '../../src/simulator/index.js';
import { createRecordMapper, type MirrorRow } from '../../src/sync/record-mapper.js';
import { recordResourceByName } from '../../src/resources/resource-table.js';
import { benchConfig } from '../lib/sync-env.js';
import { serveWorker } from '../lib/worker.js';

/**
 * The naive way to mirror: TypeORM `repository.save()` one record at a time (a SELECT to see
 * whether it exists, then an INSERT or UPDATE, each in its own transaction), on a slice of
 * the dataset taken in the same proportions as the four resources. Mapping is outside the clock.
 */
export interface NaiveSaveInput {
  databaseUrl: string;
  /** Size of the dataset the slice is taken from (so records are the ones the sync writes). */
  datasetRecords: number;
  seed: number;
  slice: number;
}

serveWorker<NaiveSaveInput, { records: number; seconds: number }>({
  async start(input) {
    const config = benchConfig(input.databaseUrl, undefined);
    const dataSource = await openDatabase(config.database);
    try {
      const dataset = generateDataset({ records: input.datasetRecords, seed: input.seed });
      const syncedAt = new Date(Math.floor(Date.now() / 1_000) * 1_000);
      const work = SIMULATED_RESOURCES.map((resource) => {
        const data = dataset.resource(resource);
        const entity = recordResourceByName(resource).entity;
        const mapper = createRecordMapper(entity, { closeDateFormat: 'MDY' });
        const take = Math.round((input.slice * data.count) / Math.max(1, input.datasetRecords));
        const rows: MirrorRow[] = [];
        for (let i = 0; i < Math.min(take, data.count); i++) {
          const mapped = mapper(data.recordAt(i));
          if (mapped.ok) rows.push({ ...mapped.row, syncedAt, deletedAt: null });
        }
        return { repository: dataSource.getRepository(entity), rows };
      });
      const began = performance.now();
      let records = 0;
      for (const { repository, rows } of work) {
        for (const row of rows) {
          await repository.save(repository.create(row as object));
          records++;
        }
      }
      return { records, seconds: (performance.now() - began) / 1_000 };
    } finally {
      await dataSource.destroy();
    }
  },
});

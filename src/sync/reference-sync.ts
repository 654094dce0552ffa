import { isDeepStrictEqual } from 'node:util';
import { In, type DataSource } from 'typeorm';
import type { CloseDateFormat } from '../config.js';
import { UpstreamError } from '../errors/index.js';
import { REFERENCE_RESOURCES, type ReferenceResourceDefinition, type ReferenceResourceName } from '../resources/resource-table.js';
import { selectRecords } from './data-selector.js';
import type { UpstreamClient } from './http-client.js';
import { createRecordMapper, mapRecords, type MirrorRow } from './record-mapper.js';

/**
 * Mirrors the reference data (users, pipelines, stages, ...): each a complete list upstream,
 * small and rarely changed, so each sync fetches it whole and diffs it against the table in
 * one transaction: new rows inserted, rows whose record changed rewritten, rows that came back
 * undeleted, rows absent from the list marked deleted. An unchanged row is not written at all
 * (its `synced_at` stays the time it last changed). A fetch that fails changes nothing.
 */
export interface ReferenceSyncResult {
  resource: ReferenceResourceName;
  fetched: number;
  inserted: number;
  updated: number;
  deleted: number;
  rejected: number;
  /** Why the list was not mirrored this time (nothing was written). */
  error?: string;
}

export interface ReferenceSyncOptions {
  dataSource: DataSource;
  client: UpstreamClient;
  dataSelector: string;
  closeDateFormat: CloseDateFormat;
  /** Turns an error into a message safe to log and store (no secrets, bounded). */
  safeMessage: (error: unknown) => string;
}

/** Users come in pages of this size; a list longer than the bound is an error, not a silent cut. */
const USER_PAGE_SIZE = 200;
const MAX_USER_PAGES = 500;

export class ReferenceSync {
  constructor(private readonly options: ReferenceSyncOptions) {}

  /** Every reference list, one after the other; a failing one does not stop the others. */
  async syncAll(resources: readonly ReferenceResourceDefinition[] = REFERENCE_RESOURCES): Promise<ReferenceSyncResult[]> {
    const results: ReferenceSyncResult[] = [];
    for (const definition of resources) {
      try {
        results.push(await this.syncOne(definition));
      } catch (error) {
        results.push({ resource: definition.name, fetched: 0, inserted: 0, updated: 0, deleted: 0, rejected: 0, error: this.options.safeMessage(error) });
      }
    }
    return results;
  }

  async syncOne(definition: ReferenceResourceDefinition): Promise<ReferenceSyncResult> {
    const records = await this.fetchList(definition);
    const { rows, rejects } = mapRecords(createRecordMapper(definition.entity, { closeDateFormat: this.options.closeDateFormat }), records);
    // A rejected record has no usable id: it cannot be told apart from an absent one, so
    // nothing is deleted on a list that had any (a bad id must not delete a good row).
    const byId = new Map(rows.map((row) => [row.id, row]));
    const counts = await this.write(definition, [...byId.values()], rejects.length === 0);
    return { resource: definition.name, fetched: records.length, rejected: rejects.length, ...counts };
  }

  private async fetchList(definition: ReferenceResourceDefinition): Promise<unknown[]> {
    const { client, dataSelector } = this.options;
    const call = { resource: definition.name };
    if (definition.fetch.method === 'GET') return selectRecords(await client.requestJson('GET', definition.fetch.path, undefined, call), dataSelector);
    const records: unknown[] = [];
    let previous: unknown[] | undefined;
    for (let page = 1; page <= MAX_USER_PAGES; page++) {
      const body = await client.requestJson('POST', definition.fetch.path, { page_number: page, page_size: USER_PAGE_SIZE }, call);
      const found = selectRecords(body, dataSelector);
      // An API that ignores page_number answers page 1 forever: stop at the first repeat rather than after MAX_USER_PAGES.
      if (previous && isDeepStrictEqual(found, previous)) {
        throw new UpstreamError(`${definition.fetch.path} answered page ${page} with the same ${found.length} records as page ${page - 1}: expected the next page (is page_number ignored?)`, 200, false, 'selector');
      }
      records.push(...found);
      if (found.length < USER_PAGE_SIZE) return records;
      previous = found;
    }
    throw new UpstreamError(`${definition.fetch.path} still had full pages after ${MAX_USER_PAGES} pages of ${USER_PAGE_SIZE}: expected a short or empty last page`, 200, false, 'selector');
  }

  private async write(definition: ReferenceResourceDefinition, rows: readonly MirrorRow[], complete: boolean): Promise<Pick<ReferenceSyncResult, 'inserted' | 'updated' | 'deleted'>> {
    const now = new Date();
    return this.options.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(definition.entity);
      const stored = new Map((await repository.find({ select: { id: true, raw: true, deletedAt: true } })).map((row) => [row.id, row]));
      const inserted: MirrorRow[] = [];
      const updated: MirrorRow[] = [];
      for (const row of rows) {
        const before = stored.get(row.id);
        if (!before) inserted.push(row);
        else if (before.deletedAt !== null || !isDeepStrictEqual(before.raw, row.raw)) updated.push(row);
      }
      const listed = new Set(rows.map((row) => row.id));
      const gone = complete ? [...stored.values()].filter((row) => row.deletedAt === null && !listed.has(row.id)).map((row) => row.id) : [];
      const written = [...inserted, ...updated].map((row) => ({ ...row, syncedAt: now, deletedAt: null }));
      if (written.length) await repository.upsert(written as never[], ['id']);
      for (let at = 0; at < gone.length; at += 500) await repository.update({ id: In(gone.slice(at, at + 500)) }, { deletedAt: now } as never);
      return { inserted: inserted.length, updated: updated.length, deleted: gone.length };
    });
  }
}

import { In, IsNull, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { RecordChange } from '../changes/change-log.writer.js';
import type { CrmRecord } from '../entities/index.js';
import { isMysql } from './write-gate.js';

/**
 * Marks live rows deleted inside the caller's transaction and resolves with the changes to log:
 * one DELETED per row that was live. The rows are read with `FOR UPDATE` on MySQL, so a
 * concurrent write (a webhook's apply reviving one) either commits first and is seen, or waits.
 * `also` narrows further (a reconcile deletes only rows its crawl did not see).
 */
export async function markDeletedIn(
  manager: EntityManager,
  entity: new () => CrmRecord,
  resource: string,
  target: { ids?: readonly string[]; also?: FindOptionsWhere<CrmRecord>; limit?: number },
  now: Date,
): Promise<RecordChange[]> {
  const repository = manager.getRepository<CrmRecord>(entity);
  const where: FindOptionsWhere<CrmRecord> = { ...target.also, deletedAt: IsNull() };
  if (target.ids) where.id = In([...target.ids]);
  const live = await repository.find({
    select: { id: true },
    where,
    order: { id: 'ASC' },
    take: target.limit,
    ...(isMysql(manager.connection) ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (live.length === 0) return [];
  const ids = live.map((row) => row.id);
  await repository.update({ id: In(ids) }, { deletedAt: now });
  return ids.map((recordId) => ({ resource, recordId, kind: 'DELETED' as const }));
}

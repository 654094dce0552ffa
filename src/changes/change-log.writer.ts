import type { EntityManager } from 'typeorm';
import { ChangeLogEntry, type ChangeKind, type ChangeSource } from '../entities/index.js';
import { isSqlite } from '../sync/write-gate.js';

/** One record's change, as a writer reports it. */
export interface RecordChange {
  resource: string;
  recordId: string;
  kind: ChangeKind;
}

/** Rows per INSERT: 6 parameters each, far under both databases' placeholder limits. */
const ROWS_PER_INSERT = 1_000;

/**
 * Appends `changes` to the change log inside the caller's transaction (`manager`), so the log
 * holds exactly what committed.
 *
 * Sequences come from the single `change_log_head` row, incremented first: its row lock is held
 * until the caller commits, so a later writer waits for it and sequences are gap-free and in
 * commit order (an AUTO_INCREMENT is neither: a transaction that took 11 may commit after one
 * that took 12, and a reader that saw 12 would skip 11). The price is that writers of the log
 * commit one at a time, which is why callers append last, just before their commit.
 */
export async function appendChanges(manager: EntityManager, changes: readonly RecordChange[], source: ChangeSource, committedAt: Date): Promise<void> {
  if (changes.length === 0) return;
  const last = await advanceHead(manager, changes.length);
  // The driver's own conversion (UTC text on SQLite, which cannot bind a Date), as for an entity's save.
  const column = manager.connection.getMetadata(ChangeLogEntry).findColumnWithPropertyName('committedAt');
  const at = column ? (manager.connection.driver.preparePersistentValue(committedAt, column) as unknown) : committedAt;
  const first = last - BigInt(changes.length) + 1n;
  for (let start = 0; start < changes.length; start += ROWS_PER_INSERT) {
    const chunk = changes.slice(start, start + ROWS_PER_INSERT);
    const values: unknown[] = [];
    chunk.forEach((change, i) => {
      values.push((first + BigInt(start + i)).toString(), change.resource, change.recordId, change.kind, source, at);
    });
    await manager.query(
      `INSERT INTO change_log (sequence, resource, record_id, kind, source, committed_at)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      values,
    );
  }
}

/**
 * Adds `count` to the head and resolves with its new value, in one statement: MySQL reports the
 * value through LAST_INSERT_ID(expr) (per connection), SQLite through RETURNING.
 */
async function advanceHead(manager: EntityManager, count: number): Promise<bigint> {
  if (isSqlite(manager.connection)) {
    const rows = (await manager.query('UPDATE change_log_head SET last_sequence = last_sequence + ? WHERE id = 1 RETURNING last_sequence AS last', [count])) as { last: number | string }[];
    if (rows.length === 1) return BigInt(rows[0].last);
  } else {
    const result = (await manager.query('UPDATE change_log_head SET last_sequence = LAST_INSERT_ID(last_sequence + ?) WHERE id = 1', [count])) as { affectedRows?: number; insertId?: number | string };
    if (result.affectedRows === 1 && result.insertId !== undefined) return BigInt(result.insertId);
  }
  throw new Error('the change_log_head row is missing: expected the row the RealtimeTables migration inserts, found none');
}

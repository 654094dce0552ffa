import type { DataSource, EntityMetadata } from 'typeorm';
import { isSqlite } from './write-gate.js';

/**
 * The multi-row upsert of a page, as one SQL statement per chunk:
 * `INSERT ... ON DUPLICATE KEY UPDATE c = CASE WHEN <newer> THEN VALUES(c) ELSE c END`
 * (MySQL/MariaDB) or `INSERT ... ON CONFLICT (id) DO UPDATE SET c = CASE ... excluded.c ...`
 * (SQLite).
 *
 * Never older data over newer: a stored row keeps its data when the incoming copy has an older
 * `date_modified` (a sync page fetched before a webhook's lookup may commit after it). Equal
 * or unknown dates take the incoming copy, as before. `synced_at` and `deleted_at` are always
 * written (the record was seen and exists). MySQL evaluates ON DUPLICATE KEY UPDATE
 * assignments left to right, each seeing the ones before, so `date_modified` is assigned last
 * and every condition compares with the stored value; SQLite evaluates them all on the old row.
 *
 * TypeORM's `insert().orUpdate()` produces the same statement, but spends as long building it
 * (its named-parameter bookkeeping grows with the row count) as the database spends running
 * it: half of a full sync's time, measured. The SQL is fixed per entity, so it is written once
 * here; values still go through the driver's own `preparePersistentValue` (transformers, JSON,
 * dates), so they reach the database exactly as TypeORM would send them.
 */
export class UpsertStatement {
  private readonly metadata: EntityMetadata;
  private readonly head: string;
  private readonly tail: string;
  private readonly rowPlaceholders: string;

  constructor(
    private readonly dataSource: DataSource,
    entity: new () => object,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    const driver = dataSource.driver;
    const quote = (name: string) => driver.escape(name);
    const columns = this.metadata.columns.map((column) => quote(column.databaseName));
    const keys = this.metadata.primaryColumns.map((column) => quote(column.databaseName));
    const sqlite = isSqlite(dataSource);
    const incoming = (column: string) => (sqlite ? `excluded.${column}` : `VALUES(${column})`);
    const modified = this.metadata.findColumnWithPropertyName('dateModified');
    const always = new Set(['syncedAt', 'deletedAt']);
    const assignments: string[] = [];
    const guarded: string[] = [];
    for (const column of this.metadata.columns) {
      if (column.isPrimary || column === modified) continue;
      const name = quote(column.databaseName);
      (always.has(column.propertyName) ? assignments : guarded).push(name);
    }
    let updates = assignments.map((c) => `${c} = ${incoming(c)}`);
    if (modified) {
      const stored = quote(modified.databaseName);
      const newer = `${stored} IS NULL OR ${incoming(stored)} IS NULL OR ${incoming(stored)} >= ${stored}`;
      const pick = (c: string) => `${c} = CASE WHEN ${newer} THEN ${incoming(c)} ELSE ${c} END`;
      updates = [...updates, ...guarded.map(pick), pick(stored)];
    } else {
      updates = [...updates, ...guarded.map((c) => `${c} = ${incoming(c)}`)];
    }
    this.head = `INSERT INTO ${quote(this.metadata.tableName)} (${columns.join(', ')}) VALUES `;
    this.rowPlaceholders = `(${columns.map(() => '?').join(', ')})`;
    this.tail = sqlite ? ` ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}` : ` ON DUPLICATE KEY UPDATE ${updates.join(', ')}`;
  }

  /** Bound parameters per row. */
  get columnCount(): number {
    return this.metadata.columns.length;
  }

  /**
   * One row's parameters, as the driver would send them (JSON serialised, dates converted).
   * `stamps` gives values for top-level properties the row does not carry (`syncedAt`,
   * `deletedAt`), so a page's rows need not be copied to add them.
   */
  prepare(row: object, stamps: Readonly<Record<string, unknown>> = {}): unknown[] {
    const driver = this.dataSource.driver;
    return this.metadata.columns.map((column) => {
      const raw = column.propertyName in stamps && !column.embeddedMetadata ? stamps[column.propertyName] : column.getEntityValue(row);
      const value = driver.preparePersistentValue(raw, column) as unknown;
      return value === undefined ? null : value;
    });
  }

  /** The statement for `rows` prepared rows, and its parameters in order. */
  build(prepared: readonly unknown[][]): [string, unknown[]] {
    return [this.head + prepared.map(() => this.rowPlaceholders).join(', ') + this.tail, prepared.flat()];
  }
}

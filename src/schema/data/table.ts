import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { MirroredRecord } from '../../entities/index.js';
import type { ResourceName } from '../../resources/resource-table.js';
import { badInput } from '../errors.js';
import { topProperty, type Projection } from '../model/projection.js';
import type { QueryField } from '../model/query-fields.js';
import { resourceModel, type ResourceModel } from '../model/resource-models.js';
import { join, raw, Sql } from './sql.js';

const INTEGER = /^-?\d{1,20}$/;
const MAX_BIGINT = 9223372036854775807n;

/**
 * A resource's table as SQL sees it on one DataSource: escaped names, the select list, bound
 * parameter values in the form the driver stores, and rows hydrated into entity instances the
 * same way TypeORM's repositories do.
 */
export class Table {
  readonly model: ResourceModel;
  readonly metadata: EntityMetadata;
  readonly name: Sql;
  private readonly sqlite: boolean;
  private readonly projected = new Map<string, readonly ColumnMetadata[]>();
  private topProperties: readonly string[] | undefined;

  constructor(
    private readonly dataSource: DataSource,
    resource: ResourceName,
  ) {
    this.model = resourceModel(resource);
    this.metadata = dataSource.getMetadata(this.model.entity);
    this.name = raw(this.escape(this.metadata.tableName));
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** The entity's top-level properties (`address` for its parts), as a projection names them. */
  get properties(): readonly string[] {
    this.topProperties ??= [...new Set(this.metadata.columns.map((c) => topProperty(c.propertyPath)))];
    return this.topProperties;
  }

  escape(identifier: string): string {
    return this.dataSource.driver.escape(identifier);
  }

  column(path: string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyPath(path);
    if (!column) throw new Error(`${this.model.typeName} has no column for ${path}`);
    return column;
  }

  field(path: string): QueryField {
    const field = this.model.fieldByPath.get(path);
    if (!field) throw new Error(`${this.model.typeName} has no queryable field ${path}`);
    return field;
  }

  /** `alias.column` */
  ref(alias: string, path: string): Sql {
    return raw(`${this.escape(alias)}.${this.escape(this.column(path).databaseName)}`);
  }

  /** A column as selected: SQLite BIGINTs as text, so ids above 2^53 survive. */
  selectExpression(alias: string, path: string): Sql {
    const ref = this.ref(alias, path);
    return this.sqlite && this.column(path).type === 'bigint' ? raw(`CAST(${ref.text} AS TEXT)`) : ref;
  }

  /**
   * The columns a projection reads, plus those at `paths` (sort keys for cursors); every column
   * without a projection. Cached: a query asks for the same few sets again and again.
   */
  columnsFor(projection: Projection | undefined, paths: readonly string[] = []): readonly ColumnMetadata[] {
    if (!projection) return this.metadata.columns;
    const key = `${projection.key}|${paths.join(',')}`;
    let columns = this.projected.get(key);
    if (!columns) {
      const wanted = new Set([...projection.properties, ...paths.map(topProperty)]);
      columns = this.metadata.columns.filter((c) => c.isPrimary || wanted.has(topProperty(c.propertyPath)));
      this.projected.set(key, columns);
    }
    return columns;
  }

  /** The given columns, each under its own database name. */
  selectList(alias: string, columns: readonly ColumnMetadata[]): Sql {
    return join(
      columns.map((c) => raw(`${this.selectExpression(alias, c.propertyPath).text} AS ${this.escape(c.databaseName)}`)),
      ', ',
    );
  }

  /** An entity from a row of `selectList(columns)`; properties outside `columns` stay unset. */
  hydrate(row: Record<string, unknown>, columns: readonly ColumnMetadata[]): MirroredRecord {
    const entity = this.metadata.create() as MirroredRecord;
    for (const column of columns) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  }

  /** A filter or cursor value as a bound parameter for the column at `path`. */
  param(path: string, value: unknown): unknown {
    const field = this.field(path);
    switch (field.kind) {
      case 'id':
        return idParam(value, field.flatName);
      case 'timestamp': {
        const date = value instanceof Date ? value : new Date(String(value));
        if (Number.isNaN(date.getTime())) throw badInput(`${field.flatName}: expected a date-time, got ${JSON.stringify(value)}`);
        return this.dataSource.driver.preparePersistentValue(date, this.column(path));
      }
      default:
        return value;
    }
  }
}

/** An id as a BigInt: both drivers bind it as an exact 64-bit integer. */
export function idParam(value: unknown, what = 'id'): bigint {
  const text = String(value);
  const id = INTEGER.test(text) ? BigInt(text) : undefined;
  if (id === undefined || id > MAX_BIGINT || id < -MAX_BIGINT - 1n) {
    throw badInput(`${what}: expected a 64-bit integer id, got ${JSON.stringify(value)}`);
  }
  return id;
}

export function isIntegerId(value: unknown): boolean {
  const text = String(value);
  return INTEGER.test(text) && BigInt(text) <= MAX_BIGINT && BigInt(text) >= -MAX_BIGINT - 1n;
}

const tables = new WeakMap<DataSource, Map<ResourceName, Table>>();

export function tableOf(dataSource: DataSource, resource: ResourceName): Table {
  let byName = tables.get(dataSource);
  if (!byName) tables.set(dataSource, (byName = new Map()));
  let table = byName.get(resource);
  if (!table) byName.set(resource, (table = new Table(dataSource, resource)));
  return table;
}

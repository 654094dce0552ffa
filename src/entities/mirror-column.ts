import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';
import { Field, Float, ID, Int } from 'type-graphql';
// type-graphql does not export its return-type-function type from the package root.
type ReturnTypeFunc = Parameters<typeof Field>[0] & ((...args: never[]) => unknown);
import { DateTimeISOResolver, GraphQLJSON, LocalDateResolver } from 'graphql-scalars';
import type { ZodType } from 'zod';

/**
 * One decorator per mirrored upstream field. It declares, in one place, the SQL column
 * (TypeORM), the GraphQL field (type-graphql) and how the sync reads the value from an
 * upstream record (the registry below). The sync's record mapper and the GraphQL filters
 * read the registry, so adding a field is one line in an entity.
 */

/** How a field is stored and coerced. Values of the wrong type become NULL; `raw` keeps them. */
export type FieldKind =
  | 'id' // BIGINT, upstream integer (may exceed 2^31); JS string so 64 bits survive
  | 'integer' // INT
  | 'string' // VARCHAR(255): short text
  | 'text' // long text: MEDIUMTEXT on MySQL (details can exceed 64 KB)
  | 'timestamp' // DATETIME UTC, upstream epoch seconds
  | 'decimal' // DECIMAL(20,4), JS number
  | 'date' // DATE, parsed from a locale string with CLOSE_DATE_FORMAT
  | 'json'; // JSON, validated by a zod schema

export interface MirrorFieldSpec {
  /** Property on the entity (camelCase, also the GraphQL field name). */
  readonly property: string;
  readonly kind: FieldKind;
  /** Path of the value in the upstream record, e.g. ['address', 'street']. */
  readonly upstream: readonly string[];
  /** Shape a JSON value must have to be stored in its typed column. */
  readonly schema?: ZodType;
  /** Set on fields that live in an embedded value object (address, related_resource). */
  readonly embeddedIn?: string;
}

export interface MirrorFieldOptions {
  /** Upstream field name when it differs from the snake_case of the property. */
  upstream?: string;
  /** GraphQL type for JSON and other non-default types. */
  graphql?: ReturnTypeFunc;
  schema?: ZodType;
  description?: string;
}

// Builds from the outside in: entity classes are decorated before their parents are read.
const ownFields = new Map<object, MirrorFieldSpec[]>();
const embeddedFields = new Map<object, { property: string; upstream: string; type: () => object }[]>();

/** Columns TypeORM must widen on MySQL (text → MEDIUMTEXT): read by the DataSource. */
export const longTextColumns = new Set<string>();

export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const toIdString: ValueTransformer = {
  to: (value: unknown) => value,
  // better-sqlite3 returns numbers and mysql2 (bigNumberStrings) strings: one JS type for both.
  from: (value: unknown) => (value === null || value === undefined ? value : String(value)),
};

export const toNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

const columnOptions: Record<FieldKind, ColumnOptions> = {
  id: { type: 'bigint', transformer: toIdString },
  integer: { type: 'int' },
  string: { type: 'varchar', length: 255 },
  text: { type: 'text' },
  timestamp: { type: 'datetime' },
  decimal: { type: 'decimal', precision: 20, scale: 4, transformer: toNumber },
  date: { type: 'date' },
  json: { type: 'json' },
};

const graphqlTypes: Record<FieldKind, ReturnTypeFunc> = {
  id: () => ID,
  integer: () => Int,
  string: () => String,
  text: () => String,
  timestamp: () => DateTimeISOResolver,
  decimal: () => Float,
  date: () => LocalDateResolver,
  json: () => GraphQLJSON,
};

/** Column widths the mapper enforces before the database would reject a value. */
export const STRING_COLUMN_LENGTH = 255;

export function MirrorField(kind: FieldKind, options: MirrorFieldOptions = {}): PropertyDecorator {
  return (target, propertyKey) => {
    const property = String(propertyKey);
    const list = ownFields.get(target.constructor) ?? [];
    list.push({
      property,
      kind,
      upstream: [options.upstream ?? snakeCase(property)],
      schema: options.schema,
    });
    ownFields.set(target.constructor, list);
    if (kind === 'text') longTextColumns.add(`${target.constructor.name}.${property}`);
    Column({ ...columnOptions[kind], nullable: true })(target, propertyKey);
    Field(options.graphql ?? graphqlTypes[kind], { nullable: true, description: options.description })(
      target,
      propertyKey,
    );
  };
}

/** A nested upstream object flattened into `<prefix>_<field>` columns (address, related_resource). */
export function MirrorEmbedded(type: () => object, options: { description?: string } = {}): PropertyDecorator {
  return (target, propertyKey) => {
    const property = String(propertyKey);
    const upstream = snakeCase(property);
    const list = embeddedFields.get(target.constructor) ?? [];
    list.push({ property, upstream, type });
    embeddedFields.set(target.constructor, list);
    Column(type as () => new () => object, { prefix: upstream })(target, propertyKey);
    Field(type as ReturnTypeFunc, { nullable: true, description: options.description })(target, propertyKey);
  };
}

/**
 * Every mirrored field of an entity class, parents and embedded objects included,
 * in declaration order. Memoised: the mapper calls this per page.
 */
export function mirrorFieldsOf(entity: abstract new () => object): readonly MirrorFieldSpec[] {
  const cached = resolvedFields.get(entity);
  if (cached) return cached;
  const chain: object[] = [];
  for (let c: object | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const fields: MirrorFieldSpec[] = [];
  for (const cls of chain) {
    fields.push(...(ownFields.get(cls) ?? []));
    for (const embedded of embeddedFields.get(cls) ?? []) {
      for (const inner of ownFields.get(embedded.type()) ?? []) {
        fields.push({ ...inner, upstream: [embedded.upstream, ...inner.upstream], embeddedIn: embedded.property });
      }
    }
  }
  resolvedFields.set(entity, fields);
  return fields;
}
const resolvedFields = new Map<object, readonly MirrorFieldSpec[]>();

import { mirrorFieldsOf, type FieldKind } from '../../entities/index.js';

/**
 * The fields of a resource that GraphQL can filter, sort and group on: every mirrored field of
 * the entity registry plus the mirror's own bookkeeping columns. Filters, `orderBy` enums,
 * `groupBy` enums and the SQL compiler all read this one list.
 */
export interface QueryField {
  /** Property path on the entity: `name`, `address.city`. */
  readonly path: string;
  readonly kind: FieldKind;
  /** Name inside its (possibly embedded) input object: `city`. */
  readonly property: string;
  /** The embedded value object the field lives in (`address`), if any. */
  readonly embeddedIn?: string;
  /** Flat camelCase name: `addressCity`. */
  readonly flatName: string;
  /** Enum value name: `ADDRESS_CITY`. */
  readonly enumName: string;
  /** The primary key: sortable and filterable, never a group key. */
  readonly primaryKey?: boolean;
}

export interface KindTraits {
  /** Name of the GraphQL filter input for the kind. */
  readonly filter: 'IdFilter' | 'IntFilter' | 'FloatFilter' | 'StringFilter' | 'DateTimeFilter' | 'DateFilter' | 'JsonFilter';
  readonly sortable: boolean;
  readonly groupable: boolean;
  /** Gets sum/avg/min/max in the stats queries. */
  readonly numeric: boolean;
}

export const KIND_TRAITS: Readonly<Record<FieldKind, KindTraits>> = {
  id: { filter: 'IdFilter', sortable: true, groupable: true, numeric: false },
  integer: { filter: 'IntFilter', sortable: true, groupable: true, numeric: true },
  string: { filter: 'StringFilter', sortable: true, groupable: true, numeric: false },
  text: { filter: 'StringFilter', sortable: false, groupable: false, numeric: false },
  timestamp: { filter: 'DateTimeFilter', sortable: true, groupable: false, numeric: false },
  decimal: { filter: 'FloatFilter', sortable: true, groupable: false, numeric: true },
  date: { filter: 'DateFilter', sortable: true, groupable: true, numeric: false },
  json: { filter: 'JsonFilter', sortable: false, groupable: false, numeric: false },
};

export const upperSnake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

function queryField(property: string, kind: FieldKind, embeddedIn?: string, primaryKey?: boolean): QueryField {
  const flatName = embeddedIn ? `${embeddedIn}${upperFirst(property)}` : property;
  return {
    path: embeddedIn ? `${embeddedIn}.${property}` : property,
    kind,
    property,
    embeddedIn,
    flatName,
    enumName: upperSnake(flatName),
    primaryKey,
  };
}

const cache = new Map<object, readonly QueryField[]>();

/** `id`, the registry's fields in declaration order, then `syncedAt` and `deletedAt`. */
export function queryFieldsOf(entity: abstract new () => object): readonly QueryField[] {
  const cached = cache.get(entity);
  if (cached) return cached;
  const fields = Object.freeze([
    queryField('id', 'id', undefined, true),
    ...mirrorFieldsOf(entity).map((f) => queryField(f.property, f.kind, f.embeddedIn)),
    queryField('syncedAt', 'timestamp'),
    queryField('deletedAt', 'timestamp'),
  ]);
  cache.set(entity, fields);
  return fields;
}

export const isSortable = (f: QueryField): boolean => KIND_TRAITS[f.kind].sortable;
export const isGroupable = (f: QueryField): boolean => KIND_TRAITS[f.kind].groupable && !f.primaryKey;
export const isNumeric = (f: QueryField): boolean => KIND_TRAITS[f.kind].numeric;

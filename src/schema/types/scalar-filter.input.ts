import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import type { FieldKind } from '../../entities/index.js';
import { KIND_TRAITS, type KindTraits } from '../model/query-fields.js';

/** The operators of the per-field filters; the SQL compiler handles exactly these. */
export type FilterOperator = 'eq' | 'ne' | 'in' | 'notIn' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'startsWith' | 'isNull';

export type FilterValue = string | number | boolean | Date | readonly (string | number | Date)[] | null | undefined;
export type ScalarFilter = Partial<Record<FilterOperator, FilterValue>>;

const COMPARISONS: readonly FilterOperator[] = ['eq', 'ne', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte'];

const FILTERS: Record<KindTraits['filter'], { scalar: () => object; operators: readonly FilterOperator[] }> = {
  IdFilter: { scalar: () => ID, operators: [...COMPARISONS, 'isNull'] },
  IntFilter: { scalar: () => Int, operators: [...COMPARISONS, 'isNull'] },
  FloatFilter: { scalar: () => Float, operators: [...COMPARISONS, 'isNull'] },
  StringFilter: { scalar: () => String, operators: [...COMPARISONS, 'contains', 'startsWith', 'isNull'] },
  DateTimeFilter: { scalar: () => DateTimeISOResolver, operators: [...COMPARISONS, 'isNull'] },
  DateFilter: { scalar: () => LocalDateResolver, operators: [...COMPARISONS, 'isNull'] },
  JsonFilter: { scalar: () => String, operators: ['isNull'] },
};

const DESCRIPTIONS: Record<FilterOperator, string> = {
  eq: 'Equal to (null: is null).',
  ne: 'Not equal to; rows where the field is null match (null: is not null).',
  in: 'One of (at most 1000 values).',
  notIn: 'None of; rows where the field is null match.',
  lt: 'Less than.',
  lte: 'Less than or equal to.',
  gt: 'Greater than.',
  gte: 'Greater than or equal to.',
  contains: 'Contains the text (case-insensitive on MySQL/MariaDB and for ASCII on SQLite; % and _ are literal).',
  startsWith: 'Starts with the text (same case rules as contains).',
  isNull: 'true: the field is null; false: it is not.',
};

const built = new Map<string, new () => object>();

/** The filter input type for a field kind (`StringFilter`, `DateTimeFilter`, ...), built once. */
export function filterInputOf(kind: FieldKind): new () => object {
  const name = KIND_TRAITS[kind].filter;
  const existing = built.get(name);
  if (existing) return existing;
  const { scalar, operators } = FILTERS[name];
  const Filter = class {};
  for (const op of operators) {
    const type = op === 'isNull' ? () => Boolean : op === 'in' || op === 'notIn' ? () => [scalar()] : op === 'contains' || op === 'startsWith' ? () => String : scalar;
    Field(type, { nullable: true, description: DESCRIPTIONS[op] })(Filter.prototype, op);
  }
  Object.defineProperty(Filter, 'name', { value: name });
  InputType(name, { description: `Conditions on one field; all given conditions must hold.` })(Filter);
  built.set(name, Filter);
  return Filter;
}

/** The GraphQL scalar a field kind is exposed as (group keys use it). */
export const scalarOfKind = (kind: FieldKind): object => FILTERS[KIND_TRAITS[kind].filter].scalar();

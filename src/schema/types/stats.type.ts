import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ResourceName } from '../../resources/resource-table.js';
import { isGroupable, isNumeric } from '../model/query-fields.js';
import { relatedGroupKeysOf } from '../model/related-group-keys.js';
import { resourceModel } from '../model/resource-models.js';
import { scalarOfKind } from './scalar-filter.input.js';
import { whereInputOf, type WhereInput } from './where.input.js';

@ObjectType({ description: 'Aggregates of a numeric field over a group; null when every value is null.' })
export class NumericStats {
  @Field(() => Float, { nullable: true }) sum!: number | null;
  @Field(() => Float, { nullable: true }) avg!: number | null;
  @Field(() => Float, { nullable: true }) min!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
}

export interface StatsArgs {
  where?: WhereInput | null;
  /** Property paths (the enum's internal values). */
  groupBy: string[];
  includeDeleted: boolean;
  first?: number | null;
}

/**
 * One group as resolvers return it: key by flat field name, numeric stats by flat field name.
 * With a StatsSelection, only the selected numeric fields are present, each with only the
 * selected aggregates (GraphQL reads nothing else).
 */
export interface StatsGroup {
  key: Record<string, unknown>;
  count: number;
  [numericField: string]: unknown;
}

export interface StatsTypes {
  readonly Stats: new () => object;
  readonly Args: new () => object;
}

const built = new Map<ResourceName, StatsTypes>();

/** `<Type>GroupBy`, `<Type>GroupKey`, `<Type>Stats` and the stats arguments of a resource, built once. */
export function statsTypesOf(resource: ResourceName): StatsTypes {
  const existing = built.get(resource);
  if (existing) return existing;
  const model = resourceModel(resource);
  const groupable = model.fields.filter(isGroupable);
  const numeric = model.fields.filter(isNumeric);
  const related = relatedGroupKeysOf(model);
  const groupByEnum = Object.fromEntries([...groupable.map((f) => [f.enumName, f.path]), ...related.map((k) => [k.enumName, k.path])]);
  registerEnumType(groupByEnum, { name: `${model.typeName}GroupBy`, description: `Fields ${model.plural} can be grouped by.` });

  const Key = class {};
  for (const f of groupable) {
    Field(() => scalarOfKind(f.kind), { nullable: true, description: 'Null when not grouped by, or the group of nulls.' })(Key.prototype, f.flatName);
  }
  for (const k of related) {
    Field(() => scalarOfKind(k.field.kind), { nullable: true, description: `The ${k.relation.field}'s ${k.field.property}; null when not grouped by, or for records without a live ${k.relation.field}.` })(Key.prototype, k.flatName);
  }
  ObjectType(`${model.typeName}GroupKey`, { description: 'The values the group shares (only the groupBy fields are set).' })(Key);

  const Stats = class {};
  Field(() => Key)(Stats.prototype, 'key');
  Field(() => Int)(Stats.prototype, 'count');
  for (const f of numeric) Field(() => NumericStats)(Stats.prototype, f.flatName);
  ObjectType(`${model.typeName}Stats`, { description: `Count and numeric aggregates of a group of ${model.plural}.` })(Stats);

  const Where = whereInputOf(resource);

  @ArgsType()
  class Args {
    @Field(() => Where, { nullable: true }) where?: WhereInput;

    @Field(() => [groupByEnum], { defaultValue: [], description: 'Group keys; none gives one group of everything.' })
    groupBy!: string[];

    @Field(() => Boolean, { defaultValue: false }) includeDeleted!: boolean;

    @Field(() => Int, { nullable: true, description: 'At most this many groups, largest first (default and maximum: the max page size).' })
    first?: number;
  }

  const types = { Stats, Args };
  built.set(resource, types);
  return types;
}

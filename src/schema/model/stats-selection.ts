import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { isNumeric } from './query-fields.js';
import type { ResourceModel } from './resource-models.js';

export type StatsAggregate = 'sum' | 'avg' | 'min' | 'max';
export const STATS_AGGREGATES: readonly StatsAggregate[] = ['sum', 'avg', 'min', 'max'];

/**
 * What a stats query asks for, as plain data: `fetchStats` computes only this. Built from a
 * GraphQL selection by `statsSelectionOf`, or by any caller that knows what it needs (a SQL
 * compiler of whole queries). Group keys are always returned: the GROUP BY needs them anyway.
 */
export interface StatsSelection {
  /** `count` is read. (COUNT(*) is computed regardless: groups are ordered by it.) */
  readonly count: boolean;
  /** Numeric fields by property path (`monetaryValue`), with the aggregates read; a field absent is not computed. */
  readonly fields: ReadonlyMap<string, ReadonlySet<StatsAggregate>>;
}

/** Every aggregate of every numeric field of the model: what `fetchStats` computes without a selection. */
export function fullStatsSelection(model: ResourceModel): StatsSelection {
  return { count: true, fields: new Map(model.fields.filter(isNumeric).map((f) => [f.path, new Set(STATS_AGGREGATES)])) };
}

const AGGREGATE_NAMES: ReadonlySet<string> = new Set(STATS_AGGREGATES);
const NUMERIC_STATS_TYPE = 'NumericStats';

/**
 * The aggregates the field being resolved (`<resource>Stats`) reads; aliases, fragments and
 * @skip/@include (with the request's variables) are resolved by graphql-parse-resolve-info.
 */
export function statsSelectionOf(info: GraphQLResolveInfo, model: ResourceModel): StatsSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null | undefined;
  const byName = new Map(model.fields.filter(isNumeric).map((f) => [f.flatName, f.path]));
  let count = false;
  const fields = new Map<string, Set<StatsAggregate>>();
  for (const field of Object.values(tree?.fieldsByTypeName[`${model.typeName}Stats`] ?? {})) {
    if (field.name === 'count') count = true;
    const path = byName.get(field.name);
    if (path === undefined) continue;
    let aggregates = fields.get(path);
    if (!aggregates) fields.set(path, (aggregates = new Set()));
    for (const sub of Object.values(field.fieldsByTypeName[NUMERIC_STATS_TYPE] ?? {})) {
      if (AGGREGATE_NAMES.has(sub.name)) aggregates.add(sub.name as StatsAggregate);
    }
  }
  return { count, fields };
}

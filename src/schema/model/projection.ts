import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { RELATED_RECORD, relationsOf } from './relations.js';
import type { ResourceModel } from './resource-models.js';

/**
 * Which top-level properties of a resource's rows one GraphQL selection reads. The SQL layer
 * selects and hydrates only their columns: `raw`, `details` and the JSON columns are most of a
 * row's bytes and of its parsing time, and a list of names rarely needs them.
 */
export interface Projection {
  /** Top-level entity properties, sorted: `address` stands for all `address_*` columns. */
  readonly properties: readonly string[];
  /** Names the set, for loader and cache keys. */
  readonly key: string;
}

export function projection(properties: Iterable<string>): Projection {
  const sorted = [...new Set(properties)].sort();
  return { properties: sorted, key: sorted.join(',') };
}

/** The record itself (`person(id)`, `company`) or a connection of records (`nodes`, `edges.node`). */
export type SelectionShape = 'record' | 'connection';

/** The top-level property of a path: `address` for `address.city`; a projection is made of these. */
export const topProperty = (path: string): string => path.split('.')[0];

/** What a field of a resource's type needs from its row: a relation reads its key, a plain field itself. */
function rowNeedsOf(model: ResourceModel): ReadonlyMap<string, readonly string[]> {
  const needs = new Map<string, readonly string[]>();
  for (const relation of relationsOf(model.name)) {
    // A to-many relation is found through the parent's id, which is always read.
    needs.set(relation.field, relation.kind === 'one' ? [topProperty(relation.foreignKey)] : []);
  }
  if (RELATED_RECORD.owner === model.name) needs.set(RELATED_RECORD.field, [topProperty(RELATED_RECORD.idPath), topProperty(RELATED_RECORD.typePath)]);
  return needs;
}
const rowNeeds = new WeakMap<ResourceModel, ReadonlyMap<string, readonly string[]>>();

/** Selections of the resource's type inside `tree`, through `nodes` and `edges { node }` for a connection. */
function recordSelections(tree: ResolveTree, model: ResourceModel, shape: SelectionShape): ResolveTree[] {
  const fieldsOf = (t: ResolveTree, typeName: string): ResolveTree[] => Object.values(t.fieldsByTypeName[typeName] ?? {});
  if (shape === 'record') return [tree];
  const connection = fieldsOf(tree, model.connectionTypeName);
  return [
    ...connection.filter((f) => f.name === 'nodes'),
    ...connection.filter((f) => f.name === 'edges').flatMap((edges) => fieldsOf(edges, model.edgeTypeName).filter((f) => f.name === 'node')),
  ];
}

/** The projection of the field being resolved; fragments, aliases and @skip/@include are resolved by the parser. */
export function projectionOf(info: GraphQLResolveInfo, model: ResourceModel, shape: SelectionShape): Projection {
  let needs = rowNeeds.get(model);
  if (!needs) rowNeeds.set(model, (needs = rowNeedsOf(model)));
  const tree = parseResolveInfo(info) as ResolveTree | null | undefined;
  const properties = new Set<string>(['id']);
  for (const record of tree ? recordSelections(tree, model, shape) : []) {
    for (const field of Object.values(record.fieldsByTypeName[model.typeName] ?? {})) {
      for (const property of needs.get(field.name) ?? [field.name]) properties.add(property);
    }
  }
  return projection(properties);
}

/**
 * Projections of one request, computed once per field in the document: graphql-js hands every
 * item of a list the same `fieldNodes` array, so the 1,000 calls of a nested relation resolver
 * parse their selection once. Per request, because `@include(if: $var)` depends on variables.
 */
export class ProjectionCache {
  private readonly byNodes = new WeakMap<readonly FieldNode[], Map<string, Projection>>();

  of(info: GraphQLResolveInfo, model: ResourceModel, shape: SelectionShape): Projection {
    let byModel = this.byNodes.get(info.fieldNodes);
    if (!byModel) this.byNodes.set(info.fieldNodes, (byModel = new Map()));
    const key = `${model.name}:${shape}`;
    let found = byModel.get(key);
    if (!found) byModel.set(key, (found = projectionOf(info, model, shape)));
    return found;
  }
}

import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isInputObjectType, isObjectType, parse, valueFromAST, type GraphQLResolveInfo, type GraphQLSchema, type GraphQLUnionType } from 'graphql';
import { buildSchema, createResolversMap, Directive, type PubSub } from 'type-graphql';
import { readScopeOf } from '../auth/scopes.js';
import { PERSONAL_PROPERTIES } from './access/personal-fields.js';
import { topProperty } from './model/projection.js';
import { queryFieldsOf } from './model/query-fields.js';
import type { GraphQLContext } from './context.js';
import { CrmRecord, MirroredRecord } from '../entities/index.js';
import { JSON_KEYS } from '../entities/list-item.values.js';
import { RELATED_RECORD, RELATIONS } from './model/relations.js';
import type { Connection } from './types/connection.type.js';
import { RESOURCE_MODELS, resourceModel } from './model/resource-models.js';
import { relationResolverOf, RelatedRecordResolver, resolveRelatedRecord, resolveRelation } from './resolvers/relation.resolver.js';
import { resourceResolverOf } from './resolvers/resource.resolver.js';
import { ChangesResolver } from './resolvers/changes.resolver.js';
import { RecordsChangedResolver } from './resolvers/records-changed.resolver.js';
import { SyncResolver } from './resolvers/sync.resolver.js';
import { RELATED_RECORD_UNION, relatedRecordTypeName } from './types/related-record.union.js';
import { checkRepresentations } from './federation-representations.js';

/** The Federation 2 features the subgraph uses. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])';

const requiresScopes = (scope: string): string => `@requiresScopes(scopes: [[${JSON.stringify(scope)}]])`;

/**
 * The access rules in the SDL, so that a gateway (Apollo Router, Hive Gateway) can enforce them
 * at the edge: each resource's type needs its read scope, each personal field `read:pii`, the
 * sync fields theirs. The subgraph enforces the same rules itself (schema/access), whatever
 * runs in front of it. Applied here, once, before the schema is built: type-graphql's metadata
 * is global, and this is the one place that knows both the resources and the scopes.
 */
function declareScopes(): void {
  // A field's directive belongs to the class that declares the field: the shared ones to the bases.
  const bases = [MirroredRecord, CrmRecord] as const;
  const declaredBy = (base: (typeof bases)[number]) =>
    new Set(queryFieldsOf(base).map((f) => topProperty(f.path)).concat(base === MirroredRecord ? ['raw'] : []));
  const shared = new Set<string>();
  for (const base of bases) {
    for (const property of declaredBy(base)) {
      if (shared.has(property)) continue;
      shared.add(property);
      if (PERSONAL_PROPERTIES.has(property)) Directive(requiresScopes('read:pii'))(base.prototype, property);
    }
  }
  for (const model of RESOURCE_MODELS) {
    Directive(requiresScopes(readScopeOf(model.name)))(model.entity);
    for (const property of new Set(queryFieldsOf(model.entity).map((f) => topProperty(f.path)))) {
      if (PERSONAL_PROPERTIES.has(property) && !shared.has(property)) Directive(requiresScopes('read:pii'))(model.entity.prototype, property);
    }
  }
}

/**
 * `_entities` resolves each `@key` type through the request's loaders, like any other lookup,
 * reading (and masking) only the fields the `_entities` selection asks of that type.
 */
function referenceResolvers(): Record<string, { __resolveReference: (ref: { id: string }, ctx: GraphQLContext, info: GraphQLResolveInfo) => unknown }> {
  return Object.fromEntries(
    RESOURCE_MODELS.map((m) => [m.typeName, { __resolveReference: (ref: { id: string }, ctx: GraphQLContext, info: GraphQLResolveInfo) => ctx.reader.one(m.name, ref.id, false, info) }]),
  );
}

/**
 * A schema rebuilt from SDL computes default values before the resolver map swaps in the
 * enums' internal values (`SyncMode = INCREMENTAL` would arrive as "INCREMENTAL"): coerce
 * them again against the final types.
 */
function recoerceDefaults(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) {
          if (arg.astNode?.defaultValue) arg.defaultValue = valueFromAST(arg.astNode.defaultValue, arg.type);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.astNode?.defaultValue) field.defaultValue = valueFromAST(field.astNode.defaultValue, field.type);
      }
    }
  }
}

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * The resolvers graphql runs. type-graphql gives every field of every object type a resolver:
 * plain properties a wrapper that runs the (empty) middleware chain around `root[name]`, field
 * resolvers one that, on every call, sorts the parameters, copies the arguments into class
 * instances and awaits a validation that is switched off. The nested benchmark query calls a
 * relation resolver once per parent; those wrappers were about a sixth of its CPU and most of
 * its garbage (BENCHMARKS.md). So plain properties get no resolver (graphql's default reads the
 * property, and graphql-jit inlines the read), the relation fields get, unwrapped, the very
 * functions their decorated methods call, and `totalCount` a resolver that returns its promise. Root fields keep type-graphql's resolvers: they run
 * once per request. Only relation fields have field resolvers on object types; a field
 * resolver added elsewhere must be listed here too (its tests would find it unresolved).
 */
function executableResolvers(schema: GraphQLSchema): ResolverMap {
  const typeGraphql = createResolversMap(schema) as ResolverMap;
  const relationFields = new Map<string, Record<string, unknown>>();
  const add = (typeName: string, field: string, resolve: unknown) => relationFields.set(typeName, { ...relationFields.get(typeName), [field]: resolve });
  for (const relation of RELATIONS) add(resourceModel(relation.owner).typeName, relation.field, resolveRelation(relation));
  add(resourceModel(RELATED_RECORD.owner).typeName, RELATED_RECORD.field, resolveRelatedRecord);
  // List items whose field name is not their JSON key (customFieldDefinitionId): the key, read.
  for (const [typeName, fields] of Object.entries(JSON_KEYS)) {
    for (const [field, key] of Object.entries(fields)) add(typeName, field, (item: Record<string, unknown>) => item[key]);
  }
  // A connection counts only when asked: `totalCount` is a promise, which graphql-jit awaits only from a resolver.
  for (const model of RESOURCE_MODELS) add(model.connectionTypeName, 'totalCount', (connection: Connection<MirroredRecord>) => connection.totalCount);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const resolvers: ResolverMap = {};
  for (const [typeName, entry] of Object.entries(typeGraphql)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type) || roots.has(typeName)) {
      resolvers[typeName] = entry;
      continue;
    }
    // Keep what is not a field resolver (`__isTypeOf`), then the relation functions.
    resolvers[typeName] = { ...Object.fromEntries(Object.entries(entry).filter(([key]) => key.startsWith('__'))), ...relationFields.get(typeName) };
  }
  return resolvers;
}

/**
 * `_entities` checks its representations before `@apollo/subgraph` resolves them (see
 * federation-representations.ts). Wrapped here, where the subgraph's resolver is made, so that
 * graphql-js and graphql-jit both run the check.
 */
function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) throw new Error('the subgraph schema has no _entities resolver to guard');
  field.resolve = (source, args, context, info) => {
    checkRepresentations((args as { representations?: unknown }).representations);
    return resolve(source, args, context, info);
  };
}

/**
 * type-graphql demands a PubSub as soon as a resolver has a `@Subscription`, even one that brings
 * its own `subscribe` (recordsChanged reads the change feed). None of ours publishes to topics:
 * this one says so if a topic-based subscription is ever added.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('no subscription here is topic-based: give @Subscription a subscribe function (see records-changed.resolver.ts)');
  },
  subscribe: () => {
    throw new Error('no subscription here is topic-based: give @Subscription a subscribe function (see records-changed.resolver.ts)');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/**
 * The executable subgraph schema: type-graphql builds it from the resource and relation
 * tables, then `buildSubgraphSchema` adds `_service` and `_entities`. Built once per process
 * (type-graphql's metadata is global, so the resolver factories must run only once).
 */
export function buildMirrorSchema(): Promise<GraphQLSchema> {
  built ??= (async () => {
    declareScopes();
    const schema = await buildSchema({
      resolvers: [SyncResolver, ChangesResolver, RecordsChangedResolver, RelatedRecordResolver, ...RESOURCE_MODELS.map(resourceResolverOf), ...RELATIONS.map(relationResolverOf)],
      validate: false,
      pubSub: NO_TOPICS,
    });
    const resolvers = executableResolvers(schema);
    for (const [typeName, reference] of Object.entries(referenceResolvers())) {
      resolvers[typeName] = { ...resolvers[typeName], ...reference };
    }
    const subgraph = buildSubgraphSchema({
      typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
      resolvers: resolvers as GraphQLResolverMap<unknown>,
    });
    recoerceDefaults(subgraph);
    guardEntities(subgraph);
    // type-graphql wraps a union's resolveType in an async function. graphql-js awaits it;
    // graphql-jit (src/server/jit-executor.ts) calls it synchronously, so the union gets its
    // plain synchronous resolver back.
    (subgraph.getType(RELATED_RECORD_UNION) as GraphQLUnionType).resolveType = relatedRecordTypeName;
    return subgraph;
  })();
  return built;
}

/** The SDL committed as `schema.graphql`, the same text `_service { sdl }` returns. */
export async function printMirrorSchema(): Promise<string> {
  return `${printSubgraphSchema(await buildMirrorSchema()).trim()}\n`;
}

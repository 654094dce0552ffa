import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isInputObjectType, isObjectType, parse, valueFromAST, type GraphQLSchema, type GraphQLUnionType } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import type { GraphQLContext } from './context.js';
import { RELATIONS } from './model/relations.js';
import { RESOURCE_MODELS } from './model/resource-models.js';
import { relationResolverOf, RelatedRecordResolver } from './resolvers/relation.resolver.js';
import { resourceResolverOf } from './resolvers/resource.resolver.js';
import { SyncResolver } from './resolvers/sync.resolver.js';
import { RELATED_RECORD_UNION, relatedRecordTypeName } from './types/related-record.union.js';

/** The Federation 2 features the subgraph uses. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/** `_entities` resolves each `@key` type through the request's loaders, like any other lookup. */
function referenceResolvers(): Record<string, { __resolveReference: (ref: { id: string }, ctx: GraphQLContext) => unknown }> {
  return Object.fromEntries(
    RESOURCE_MODELS.map((m) => [m.typeName, { __resolveReference: (ref: { id: string }, ctx: GraphQLContext) => ctx.reader.one(m.name, ref.id) }]),
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

let built: Promise<GraphQLSchema> | undefined;

/**
 * The executable subgraph schema: type-graphql builds it from the resource and relation
 * tables, then `buildSubgraphSchema` adds `_service` and `_entities`. Built once per process
 * (type-graphql's metadata is global, so the resolver factories must run only once).
 */
export function buildMirrorSchema(): Promise<GraphQLSchema> {
  built ??= (async () => {
    const schema = await buildSchema({
      resolvers: [SyncResolver, RelatedRecordResolver, ...RESOURCE_MODELS.map(resourceResolverOf), ...RELATIONS.map(relationResolverOf)],
      validate: false,
    });
    const resolvers = createResolversMap(schema) as Record<string, object>;
    for (const [typeName, reference] of Object.entries(referenceResolvers())) {
      resolvers[typeName] = { ...resolvers[typeName], ...reference };
    }
    const subgraph = buildSubgraphSchema({
      typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
      resolvers: resolvers as GraphQLResolverMap<unknown>,
    });
    recoerceDefaults(subgraph);
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

import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { MirroredRecord } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { RELATED_RECORD, type Relation } from '../model/relations.js';
import { resourceModel } from '../model/resource-models.js';
import { valueAt } from '../model/value-at.js';
import { connectionTypeOf, type Connection } from '../types/connection.type.js';
import { listArgsOf, type ListArgs } from '../types/list-args.js';
import { RelatedRecord } from '../types/related-record.union.js';

type RelationResolve = GraphQLFieldResolver<MirroredRecord, GraphQLContext, ListArgs>;

/**
 * How a relation field resolves, as a plain graphql resolver. The decorated methods below
 * declare the fields and call it; build-schema.ts also installs it unwrapped (see there why).
 */
export function resolveRelation(relation: Relation): RelationResolve {
  const target = resourceModel(relation.target);
  if (relation.kind === 'one') {
    return (parent, _args, ctx, info) => ctx.reader.one(target.name, valueAt(parent, relation.foreignKey) as string | null, false, info);
  }
  return (parent, args, ctx, info) => ctx.reader.related(relation, parent.id, args, info);
}

export const resolveRelatedRecord: RelationResolve = (project, _args, ctx, info) => {
  const type = valueAt(project, RELATED_RECORD.typePath);
  const target = RELATED_RECORD.targets.find((t) => t.type === type)?.target;
  return target ? ctx.reader.one(target, valueAt(project, RELATED_RECORD.idPath) as string | null, false, info) : Promise.resolve(null);
};

/**
 * The field resolver of one relation of the relation table. Call once per relation.
 * The method is named after the field: type-graphql matches field resolvers to fields by
 * method name, so two `resolve` methods on one type would shadow each other.
 */
export function relationResolverOf(relation: Relation): new () => object {
  const owner = resourceModel(relation.owner);
  const target = resourceModel(relation.target);
  const method = relation.field;
  const resolve = resolveRelation(relation);

  if (relation.kind === 'one') {
    @Resolver(() => owner.entity)
    class ToOneResolver {
      @FieldResolver(() => target.entity, { name: relation.field, nullable: true, description: relation.description })
      [method](@Root() parent: MirroredRecord, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<MirroredRecord | null> {
        return resolve(parent, {}, ctx, info) as Promise<MirroredRecord | null>;
      }
    }
    return ToOneResolver;
  }

  // Created before the build starts: type-graphql does not see types first made inside a thunk.
  const ConnectionType = connectionTypeOf(target.name);
  const ListArgsType = listArgsOf(target.name);

  @Resolver(() => owner.entity)
  class ToManyResolver {
    @FieldResolver(() => ConnectionType, { name: relation.field, description: relation.description })
    [method](
      @Root() parent: MirroredRecord,
      @Args(() => ListArgsType) args: ListArgs,
      @Ctx() ctx: GraphQLContext,
      @Info() info: GraphQLResolveInfo,
    ): Promise<Connection<MirroredRecord>> {
      return resolve(parent, args, ctx, info) as Promise<Connection<MirroredRecord>>;
    }
  }
  return ToManyResolver;
}

@Resolver(() => resourceModel(RELATED_RECORD.owner).entity)
export class RelatedRecordResolver {
  @FieldResolver(() => RelatedRecord, {
    name: RELATED_RECORD.field,
    nullable: true,
    description: 'The person, company or opportunity of relatedResource; null when it is not in the mirror.',
  })
  relatedRecord(@Root() project: MirroredRecord, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<MirroredRecord | null> {
    return resolveRelatedRecord(project, {}, ctx, info) as Promise<MirroredRecord | null>;
  }
}

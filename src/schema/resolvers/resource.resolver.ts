import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { MirroredRecord } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import type { ResourceModel } from '../model/resource-models.js';
import { statsSelectionOf } from '../model/stats-selection.js';
import { ByIdArgs } from '../types/by-id.args.js';
import type { Connection } from '../types/connection.type.js';
import { connectionTypeOf } from '../types/connection.type.js';
import { listArgsOf, type ListArgs } from '../types/list-args.js';
import { statsTypesOf, type StatsArgs, type StatsGroup } from '../types/stats.type.js';

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'An' : 'A');

/** Root queries of one resource: `person(id)`, `people(...)`, `personStats(...)`. Call once per resource. */
export function resourceResolverOf(model: ResourceModel): new () => object {
  // Created before the build starts: type-graphql does not see types first made inside a thunk.
  const { Stats, Args: StatsArgsType } = statsTypesOf(model.name);
  const ConnectionType = connectionTypeOf(model.name);
  const ListArgsType = listArgsOf(model.name);

  @Resolver(() => model.entity)
  class ResourceResolver {
    @Query(() => model.entity, {
      name: model.singular,
      nullable: true,
      description: `${article(model.singular)} ${model.singular} by id; null when there is none (or it is soft-deleted and includeDeleted is false).`,
    })
    one(@Args(() => ByIdArgs) { id, includeDeleted }: ByIdArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<MirroredRecord | null> {
      return ctx.reader.one(model.name, id, includeDeleted, info);
    }

    @Query(() => ConnectionType, { name: model.plural, description: `A page of ${model.plural}.` })
    list(@Args(() => ListArgsType) args: ListArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Connection<MirroredRecord>> {
      return ctx.reader.list(model.name, args, info);
    }

    @Query(() => [Stats], { name: model.statsField, description: `Counts and aggregates of ${model.plural}, grouped.` })
    stats(@Args(() => StatsArgsType) args: StatsArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<StatsGroup[]> {
      return ctx.reader.stats(model.name, args, statsSelectionOf(info, model));
    }
  }

  return ResourceResolver;
}

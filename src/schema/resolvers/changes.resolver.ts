import { Args, Ctx, Directive, Query, Resolver } from 'type-graphql';
import { ANY_READ_SCOPE_DIRECTIVE } from '../changes/any-read-scope.js';
import { readChangePage } from '../changes/change-page.js';
import { changesPageSize } from '../changes/change-page-size.js';
import type { GraphQLContext } from '../context.js';
import { ChangePageType, ChangesArgs } from '../types/change.type.js';

@Resolver()
export class ChangesResolver {
  @Query(() => ChangePageType, {
    description: 'Committed changes of mirrored records in commit order, from the change log (kept CHANGE_LOG_RETENTION_HOURS). Page with `after: endCursor` while hasNextPage; `recordsChanged` streams the same changes live.',
  })
  @Directive(ANY_READ_SCOPE_DIRECTIVE)
  changes(@Args(() => ChangesArgs) { after, resources, first }: ChangesArgs, @Ctx() ctx: GraphQLContext): Promise<ChangePageType> {
    const readable = ctx.access.readableResources(resources, 'changes');
    return readChangePage(ctx.changes.log, { after, resources: readable, first: changesPageSize(first) });
  }
}

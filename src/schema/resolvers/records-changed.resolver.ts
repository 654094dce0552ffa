import { Args, Ctx, Directive, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ChangeFeedFullError, type ChangeStream } from '../../changes/change-feed.js';
import type { ChangeEvent } from '../../changes/change-events.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../../resources/resource-table.js';
import { ANY_READ_SCOPE_DIRECTIVE } from '../changes/any-read-scope.js';
import { parseChangeCursor, withCursorErrorsAsInput } from '../changes/change-cursor.js';
import type { GraphQLContext } from '../context.js';
import { tooManySubscriptions } from '../errors.js';
import { RecordsChangedArgs, RecordsChangedType } from '../types/change.type.js';

/**
 * The subscribe side of `recordsChanged`: the access rules apply here, once (a resource the
 * subscriber may not read is refused; without `resources`, only the readable ones are fed), and
 * the feed never hands it anything else.
 */
async function subscribeToChanges({ args, context }: SubscribeResolverData<unknown, RecordsChangedArgs, GraphQLContext>): Promise<ChangeStream> {
  const { resources, after } = args;
  const readable = context.access.readableResources(resources, 'recordsChanged');
  const cursor = after === null || after === undefined ? null : parseChangeCursor(after);
  try {
    return await withCursorErrorsAsInput(() =>
      context.changes.feed.subscribe({
        after: cursor,
        resources: readable.length === RECORD_RESOURCE_NAMES.length ? null : readable,
        maxQueued: context.changes.maxQueued,
        stallMs: context.changes.stallMs,
        onStall: () => context.connection?.closeAsSlow(`took nothing for ${context.changes.stallMs} ms (SUBSCRIPTION_STALL_TIMEOUT_MS): resubscribe with the last cursor`),
      }),
    );
  } catch (error) {
    if (error instanceof ChangeFeedFullError) throw tooManySubscriptions(error.message);
    throw error;
  }
}

@Resolver()
export class RecordsChangedResolver {
  @Subscription(() => RecordsChangedType, {
    subscribe: subscribeToChanges,
    description: 'Changes of mirrored records as they commit, over WebSocket (graphql-ws) at /graphql. With `after`, first every change after that cursor (none is missed across a reconnect), then live.',
  })
  @Directive(ANY_READ_SCOPE_DIRECTIVE)
  recordsChanged(@Root() event: ChangeEvent, @Args(() => RecordsChangedArgs) _args: RecordsChangedArgs, @Ctx() ctx: GraphQLContext): RecordsChangedType {
    // The feed was asked only for readable resources; checked again here, where the event leaves.
    ctx.access.requireRead(event.resource as RecordResourceName);
    return event as RecordsChangedType;
  }
}

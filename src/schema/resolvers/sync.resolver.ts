import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SyncRun } from '../../entities/index.js';
import type { ResourceSyncStatus, SyncProgress } from '../../sync/controller.js';
import { RESOURCE_NAMES } from '../../sync/resources.js';
import type { GraphQLContext } from '../context.js';
import { ResyncArgs, SyncRunsArgs, SyncRunType, SyncStatusType, type SyncProgressType } from '../types/sync.types.js';

const epochToDate = (seconds: number | null): Date | null => (seconds === null ? null : new Date(seconds * 1000));

const progressView = (p: SyncProgress | null): SyncProgressType | null => (p ? { ...p, cursor: epochToDate(p.cursor) } : null);

const statusView = (s: ResourceSyncStatus): SyncStatusType => ({ ...s, cursor: epochToDate(s.cursor), progress: progressView(s.progress) });

@Resolver()
export class SyncResolver {
  @Query(() => [SyncStatusType], { description: 'Where the sync of each resource stands.' })
  async syncStatus(@Ctx() ctx: GraphQLContext): Promise<SyncStatusType[]> {
    return (await ctx.sync.status()).map(statusView);
  }

  @Query(() => [SyncRunType], { description: 'Recent sync runs, latest first.' })
  syncRuns(@Args(() => SyncRunsArgs) { first, resource }: SyncRunsArgs, @Ctx() ctx: GraphQLContext): Promise<SyncRun[]> {
    return ctx.reader.syncRuns(first, resource);
  }

  @Mutation(() => [SyncRunType], {
    description: 'Starts a sync of the resources (all when omitted). Needs "Authorization: Bearer <ADMIN_TOKEN>". With wait: true, returns when the runs end.',
  })
  resync(@Args(() => ResyncArgs) { resources, mode, wait }: ResyncArgs, @Ctx() ctx: GraphQLContext): Promise<SyncRun[]> {
    ctx.admin.require('resync');
    return ctx.sync.trigger(resources ? [...new Set(resources)] : RESOURCE_NAMES, mode ?? 'incremental', { wait: wait ?? false });
  }
}

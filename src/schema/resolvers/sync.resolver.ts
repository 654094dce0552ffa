import { Args, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';
import type { SyncRun } from '../../entities/index.js';
import type { ResourceSyncStatus, SyncProgress } from '../../sync/controller.js';
import { RECORD_RESOURCE_NAMES } from '../../resources/resource-table.js';
import type { GraphQLContext } from '../context.js';
import { forbidden } from '../errors.js';
import { ResyncArgs, SyncRunsArgs, SyncRunType, SyncStatusType, type SyncProgressType } from '../types/sync.types.js';

const epochToDate = (seconds: number | null): Date | null => (seconds === null ? null : new Date(seconds * 1000));

const progressView = (p: SyncProgress | null): SyncProgressType | null => (p ? { ...p, cursor: epochToDate(p.cursor) } : null);

const statusView = (s: ResourceSyncStatus): SyncStatusType => ({ ...s, cursor: epochToDate(s.cursor), progress: progressView(s.progress) });

/**
 * `resync` needs `sync:write`: ADMIN_TOKEN as a bearer token holds it, so can an API key or a
 * token. Without any of them configured the mutation is disabled, and says how to enable it.
 */
function requireSyncWrite(ctx: GraphQLContext): void {
  const { principal } = ctx.access;
  if (principal.via === 'open' && !principal.scopes.has('sync:write') && !ctx.adminTokenConfigured) {
    throw forbidden('resync is disabled: set ADMIN_TOKEN on the server (or use API keys or JWTs with the sync:write scope) to enable it');
  }
  ctx.access.require('sync:write', 'resync');
}

@Resolver()
export class SyncResolver {
  @Query(() => [SyncStatusType], { description: 'Where the sync of each resource stands.' })
  @Directive('@requiresScopes(scopes: [["read:sync"]])')
  async syncStatus(@Ctx() ctx: GraphQLContext): Promise<SyncStatusType[]> {
    ctx.access.require('read:sync', 'syncStatus');
    return (await ctx.sync.status()).map(statusView);
  }

  @Query(() => [SyncRunType], { description: 'Recent sync runs, latest first.' })
  @Directive('@requiresScopes(scopes: [["read:sync"]])')
  syncRuns(@Args(() => SyncRunsArgs) { first, resource }: SyncRunsArgs, @Ctx() ctx: GraphQLContext): Promise<SyncRun[]> {
    ctx.access.require('read:sync', 'syncRuns');
    return ctx.reader.syncRuns(first, resource);
  }

  @Directive('@requiresScopes(scopes: [["sync:write"]])')
  @Mutation(() => [SyncRunType], {
    description: 'Starts a sync of the resources (all when omitted). Needs "Authorization: Bearer <ADMIN_TOKEN>". With wait: true, returns when the runs end.',
  })
  resync(@Args(() => ResyncArgs) { resources, mode, wait }: ResyncArgs, @Ctx() ctx: GraphQLContext): Promise<SyncRun[]> {
    requireSyncWrite(ctx);
    return ctx.sync.trigger(resources ? [...new Set(resources)] : RECORD_RESOURCE_NAMES, mode ?? 'incremental', { wait: wait ?? false });
  }
}

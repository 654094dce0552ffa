import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { SyncRunMode } from '../../entities/index.js';
import { RECORD_RESOURCES, resourceEnumValue, type RecordResourceName } from '../../resources/resource-table.js';

/** `Resource` enum: GraphQL names derived from the resource table, internal values its resource names. */
export const ResourceEnum = Object.freeze(Object.fromEntries(RECORD_RESOURCES.map((r) => [resourceEnumValue(r.name), r.name])));
registerEnumType(ResourceEnum, { name: 'Resource', description: 'A mirrored CRM resource.' });

export const SyncModeEnum = Object.freeze({ INCREMENTAL: 'incremental', FULL: 'full' } as const);
registerEnumType(SyncModeEnum, {
  name: 'SyncMode',
  description: 'INCREMENTAL fetches what changed since the cursor; FULL re-reads everything and marks missing records deleted.',
});

export const SyncRunStatusEnum = Object.freeze({
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  INTERRUPTED: 'interrupted',
} as const);
registerEnumType(SyncRunStatusEnum, { name: 'SyncRunStatus' });

@ObjectType('SyncRun', { description: 'One sync run of one resource.' })
export class SyncRunType {
  @Field(() => Int) id!: number;
  @Field(() => ResourceEnum) resource!: string;
  @Field(() => SyncModeEnum) mode!: string;
  @Field(() => SyncRunStatusEnum) status!: string;
  @Field(() => DateTimeISOResolver) startedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Int) pages!: number;
  @Field(() => Int) recordsUpserted!: number;
  @Field(() => Int) recordsDeleted!: number;
  @Field(() => Int) recordsRejected!: number;
  @Field(() => Int) requests!: number;
  @Field(() => Int) retries!: number;
  @Field(() => String, { nullable: true, description: 'The crawl strategy the run used (keyset-modified, keyset-created, page-number).' })
  strategy!: string | null;
  @Field(() => Int, { description: 'Deletion candidates an ids lookup confirmed gone.' }) candidatesConfirmed!: number;
  @Field(() => Int, { description: 'Deletion candidates found alive (upserted instead of deleted).' }) candidatesAlive!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('SyncCapability', { description: 'Whether the upstream search of a resource honours something, and how that is known.' })
export class SyncCapabilityType {
  @Field(() => String, { description: 'modifiedMin, modifiedMax, createdMin, createdMax, ids, sortModifiedAsc, sortModifiedDesc, sortCreatedAsc, sortCreatedDesc or stableTies.' })
  name!: string;
  @Field(() => Boolean) value!: boolean;
  @Field(() => String, { description: 'configured (SYNC_CAPABILITIES), probed (a request showed it) or assumed (UPSTREAM_PROFILE).' })
  source!: string;
  @Field(() => String, { nullable: true, description: 'What the last probe saw.' }) note!: string | null;
}

@ObjectType('SyncProgress', { description: 'A run in progress.' })
export class SyncProgressType {
  @Field(() => ResourceEnum) resource!: string;
  @Field(() => SyncModeEnum) mode!: string;
  @Field(() => Int) runId!: number;
  @Field(() => DateTimeISOResolver) startedAt!: Date;
  @Field(() => Int) pages!: number;
  @Field(() => Int) recordsUpserted!: number;
  @Field(() => Int) recordsRejected!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'The date_modified the run has reached.' })
  cursor!: Date | null;
}

@ObjectType('SyncStatus', { description: 'Where the mirror of one resource stands.' })
export class SyncStatusType {
  @Field(() => ResourceEnum) resource!: string;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'The incremental cursor (date_modified watermark).' })
  cursor!: Date | null;
  @Field(() => SyncRunType, { nullable: true }) lastIncrementalRun!: SyncRunType | null;
  @Field(() => SyncRunType, { nullable: true }) lastFullRun!: SyncRunType | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) lastFullReconcileAt!: Date | null;
  @Field(() => Int, { description: 'Live rows in the mirror.' }) recordCount!: number;
  @Field(() => Int, { description: 'Soft-deleted rows in the mirror.' }) deletedCount!: number;
  @Field(() => Boolean) running!: boolean;
  @Field(() => SyncProgressType, { nullable: true }) progress!: SyncProgressType | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => String, { description: 'The crawl strategy the capabilities allow.' }) strategy!: string;
  @Field(() => [SyncCapabilityType]) capabilities!: SyncCapabilityType[];
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the capabilities were last probed.' }) probedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the next run probes again (a page check tripped), if it will.' })
  reprobeReason!: string | null;
}

@ArgsType()
export class SyncRunsArgs {
  @Field(() => Int, { nullable: true, description: 'How many (default and maximum: the page size limits).' })
  first?: number | null;

  @Field(() => ResourceEnum, { nullable: true, description: 'Only runs of this resource.' })
  resource?: RecordResourceName | null;
}

@ArgsType()
export class ResyncArgs {
  @Field(() => [ResourceEnum], { nullable: true, description: 'Resources to sync; all when omitted.' })
  resources?: RecordResourceName[] | null;

  @Field(() => SyncModeEnum, { nullable: true, defaultValue: SyncModeEnum.INCREMENTAL })
  mode?: SyncRunMode | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Resolve when the runs have finished, with their final state.' })
  wait?: boolean | null;
}

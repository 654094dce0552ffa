import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChangeKind, ChangeSource } from '../../entities/index.js';
import type { RecordResourceName } from '../../resources/resource-table.js';
import { DEFAULT_CHANGES_PAGE, MAX_CHANGES_PAGE } from '../changes/change-page-size.js';
import { ResourceEnum } from './sync.types.js';

export const ChangeKindEnum = Object.freeze({ UPSERTED: 'UPSERTED', DELETED: 'DELETED' } as const satisfies Record<ChangeKind, ChangeKind>);
registerEnumType(ChangeKindEnum, { name: 'ChangeKind', description: 'UPSERTED: the record was created or changed; DELETED: it was deleted upstream.' });

export const ChangeSourceEnum = Object.freeze({ SYNC: 'sync', RECONCILE: 'reconcile', WEBHOOK: 'webhook' } as const satisfies Record<string, ChangeSource>);
registerEnumType(ChangeSourceEnum, { name: 'ChangeSource', description: 'What committed the change: a sync page, a full reconcile, or an applied webhook.' });

const CURSOR = 'Opaque: pass it back as `after` (to `changes` or `recordsChanged`) to continue after this change.';

@ObjectType('Change', { description: 'One committed change of one mirrored record.' })
export class ChangeType {
  @Field(() => String, { description: CURSOR }) cursor!: string;
  @Field(() => ResourceEnum) resource!: RecordResourceName;
  @Field(() => ID, { description: 'The id of the record that changed.' }) id!: string;
  @Field(() => ChangeKindEnum) kind!: ChangeKind;
  @Field(() => ChangeSourceEnum) source!: ChangeSource;
  @Field(() => DateTimeISOResolver) committedAt!: Date;
}

@ObjectType('ChangePage', { description: 'Changes in commit order.' })
export class ChangePageType {
  @Field(() => [ChangeType]) nodes!: ChangeType[];
  @Field(() => String, { nullable: true, description: 'Where to continue (`after`): the last change of this page, or the position read up to when the page is empty.' })
  endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ArgsType()
export class ChangesArgs {
  @Field(() => String, { nullable: true, description: `${CURSOR} Omitted: from the oldest change kept (CHANGE_LOG_RETENTION_HOURS).` })
  after?: string | null;

  @Field(() => [ResourceEnum], { nullable: true, description: 'Only these resources; omitted: every resource the caller may read.' })
  resources?: RecordResourceName[] | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_CHANGES_PAGE, description: `Changes per page, 1 to ${MAX_CHANGES_PAGE}.` })
  first?: number | null;
}

@ObjectType('RecordsChanged', { description: 'Consecutive changes of one resource with the same kind, source and commit time.' })
export class RecordsChangedType {
  @Field(() => String, { description: `The cursor of the last change in the event. ${CURSOR}` }) cursor!: string;
  @Field(() => ResourceEnum) resource!: RecordResourceName;
  @Field(() => ChangeKindEnum) kind!: ChangeKind;
  @Field(() => [ID], { description: 'The records that changed, in commit order.' }) ids!: string[];
  @Field(() => ChangeSourceEnum) source!: ChangeSource;
  @Field(() => DateTimeISOResolver) committedAt!: Date;
}

@ArgsType()
export class RecordsChangedArgs {
  @Field(() => [ResourceEnum], { nullable: true, description: 'Only these resources; omitted: every resource the subscriber may read.' })
  resources?: RecordResourceName[] | null;

  @Field(() => String, { nullable: true, description: `${CURSOR} Given: first every change after it, then live. Omitted: from now on.` })
  after?: string | null;
}

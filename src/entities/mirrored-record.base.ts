import { Column, Index, PrimaryColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, GraphQLJSON } from 'graphql-scalars';
import { toIdString } from './mirror-column.js';

/**
 * What every mirrored table has, the four CRM resources and the reference data alike: the
 * upstream id, the record as it arrived, and the mirror's own bookkeeping.
 */
// Not emitted in the schema: type-graphql 2 emits only types that are referenced.
@ObjectType()
export abstract class MirroredRecord {
  @PrimaryColumn({ type: 'bigint', transformer: toIdString })
  @Field(() => ID, { description: 'The upstream id (may exceed 32 bits).' })
  id!: string;

  @Column({ type: 'json' })
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The record exactly as the upstream API sent it, unknown fields included. Personal data: null (and listed in extensions.masked) without read:pii.',
  })
  raw!: object;

  @Column({ type: 'datetime' })
  @Field(() => DateTimeISOResolver, { description: 'When the mirror last received this record.' })
  syncedAt!: Date;

  @Index()
  @Column({ type: 'datetime', nullable: true })
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When the mirror found the record gone upstream (a full reconcile, a webhook, or its absence from a complete list); null while it exists.',
  })
  deletedAt!: Date | null;
}

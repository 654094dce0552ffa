import { Column, Index, PrimaryColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, GraphQLJSON } from 'graphql-scalars';
import { MirrorField, toIdString } from './mirror-column.js';
import { customFieldsSchema, CustomField, tagsSchema } from './list-item.values.js';

/**
 * Fields every mirrored resource has, plus the mirror's own bookkeeping columns.
 *
 * The foreign keys of to-many relations are indexed together with `deleted_at`: a parent's
 * page reads `fk = ? AND deleted_at IS NULL ORDER BY id`, which such an index answers in order
 * without touching the rows (InnoDB appends the primary key), on the loaders' per-parent window
 * and on the compiled path's per-parent aggregates and page bounds alike. It replaces the
 * single-column index on the key, so a write maintains as many indexes as before.
 */
// Not emitted in the schema: type-graphql 2 emits only types that are referenced.
@ObjectType()
export abstract class CrmRecord {
  @PrimaryColumn({ type: 'bigint', transformer: toIdString })
  @Field(() => ID, { description: 'The upstream id (may exceed 32 bits).' })
  id!: string;

  @MirrorField('string') name!: string | null;

  @Index()
  @MirrorField('id') assigneeId!: string | null;

  @MirrorField('json', { graphql: () => [String], schema: tagsSchema }) tags!: string[] | null;

  @MirrorField('text') details!: string | null;

  @MirrorField('json', { graphql: () => [CustomField], schema: customFieldsSchema })
  customFields!: object[] | null;

  @MirrorField('timestamp') dateCreated!: Date | null;

  @Index()
  @MirrorField('timestamp') dateModified!: Date | null;

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
    description: 'When a full reconcile found the record gone upstream; null while it exists.',
  })
  deletedAt!: Date | null;
}

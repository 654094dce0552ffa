import { Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { MirrorField } from './mirror-column.js';
import { MirroredRecord } from './mirrored-record.base.js';
import { customFieldsSchema, CustomField, tagsSchema } from './list-item.values.js';

/**
 * Fields each of the four CRM resources has, on top of what every mirrored table has.
 *
 * The foreign keys of to-many relations are indexed together with `deleted_at`: a parent's
 * page reads `fk = ? AND deleted_at IS NULL ORDER BY id`, which such an index answers in order
 * without touching the rows (InnoDB appends the primary key), on the loaders' per-parent window
 * and on the compiled path's per-parent aggregates and page bounds alike. It replaces the
 * single-column index on the key, so a write maintains as many indexes as before.
 */
// Not emitted in the schema: type-graphql 2 emits only types that are referenced.
@ObjectType()
export abstract class CrmRecord extends MirroredRecord {
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
}

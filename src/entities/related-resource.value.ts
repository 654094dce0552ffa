import { ObjectType } from 'type-graphql';
import { MirrorField } from './mirror-column.js';

/** A project's `related_resource`, stored as `related_resource_id` and `related_resource_type`. */
@ObjectType({ description: 'The record a project belongs to: its id and type (person, company or opportunity).' })
export class RelatedResource {
  @MirrorField('id') id!: string | null;
  @MirrorField('string', { description: 'person, company or opportunity' }) type!: string | null;
}

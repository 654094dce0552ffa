import { Entity, Index } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { CrmRecord } from './crm-record.base.js';
import { MirrorEmbedded, MirrorField } from './mirror-column.js';
import { RelatedResource } from './related-resource.value.js';

@Entity({ name: 'projects' })
// A record's live projects in id order, from the index alone (see crm-record.base.ts).
@Index(['relatedResource.type', 'relatedResource.id', 'deletedAt'])
@ObjectType({ description: 'A project in the CRM, optionally related to a person, company or opportunity.' })
@Directive('@key(fields: "id")')
export class Project extends CrmRecord {
  @MirrorEmbedded(() => RelatedResource) relatedResource!: RelatedResource;
  @MirrorField('string', { description: 'Open or Completed' }) status!: string | null;
}

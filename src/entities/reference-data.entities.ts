import { Entity, Index } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { z } from 'zod';
import { MirrorField } from './mirror-column.js';
import { MirroredRecord } from './mirrored-record.base.js';

/**
 * The reference data the four resources point at by id (`assignee_id`, `pipeline_stage_id`,
 * `custom_fields[].custom_field_definition_id`, ...). Each is a complete list upstream, mirrored
 * whole at every sync; tables are named as the API names the endpoints.
 */

@Entity({ name: 'users' })
@ObjectType({ description: 'A user of the CRM account: the assignee (owner) of records.' })
export class User extends MirroredRecord {
  @MirrorField('string') name!: string | null;
  @MirrorField('string', { description: 'Personal data: null (and listed in extensions.masked) without read:pii.' }) email!: string | null;
}

@Entity({ name: 'pipelines' })
@ObjectType({ description: 'A sales pipeline: the ordered stages an opportunity moves through.' })
export class Pipeline extends MirroredRecord {
  @MirrorField('string') name!: string | null;
}

@Entity({ name: 'pipeline_stages' })
// A pipeline's live stages in id order, from the index alone (see crm-record.base.ts).
@Index(['pipelineId', 'deletedAt'])
@ObjectType({ description: 'A stage of a pipeline.' })
export class PipelineStage extends MirroredRecord {
  @MirrorField('string') name!: string | null;
  @MirrorField('id') pipelineId!: string | null;
  @MirrorField('integer', { description: '0 to 100' }) winProbability!: number | null;
}

@Entity({ name: 'contact_types' })
@ObjectType({ description: 'A contact type (Potential Customer, Current Customer, ...) of people and companies.' })
export class ContactType extends MirroredRecord {
  @MirrorField('string') name!: string | null;
}

@Entity({ name: 'customer_sources' })
@ObjectType({ description: 'Where an opportunity came from (Email, Cold Call, ...).' })
export class CustomerSource extends MirroredRecord {
  @MirrorField('string') name!: string | null;
}

@Entity({ name: 'loss_reasons' })
@ObjectType({ description: 'Why an opportunity was lost.' })
export class LossReason extends MirroredRecord {
  @MirrorField('string') name!: string | null;
}

/** The data types a custom field definition may have. An unknown one is kept as sent. */
export const CUSTOM_FIELD_DATA_TYPES = ['String', 'Text', 'Dropdown', 'MultiSelect', 'Date', 'Checkbox', 'Float', 'Currency', 'Percentage', 'URL', 'Connect'] as const;

const idLike = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);
export const customFieldOptionsSchema = z.array(z.looseObject({ id: idLike, name: z.string().nullish(), rank: z.number().nullish() }));
export const availableOnSchema = z.array(z.string());

@ObjectType({ description: 'An option of a Dropdown or MultiSelect custom field.' })
export class CustomFieldOption {
  @Field(() => ID) id!: number | string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int, { nullable: true }) rank!: number | null;
}

@Entity({ name: 'custom_field_definitions' })
@ObjectType({ description: 'The definition of a custom field: its name, data type and, for Dropdown and MultiSelect, its options.' })
export class CustomFieldDefinition extends MirroredRecord {
  @MirrorField('string') name!: string | null;
  @MirrorField('string', { description: `One of ${CUSTOM_FIELD_DATA_TYPES.join(', ')} (another is kept as sent).` }) dataType!: string | null;
  @MirrorField('json', { graphql: () => [String], schema: availableOnSchema, description: 'The resources it is available on: person, company, opportunity, project.' })
  availableOn!: string[] | null;
  @MirrorField('json', { graphql: () => [CustomFieldOption], schema: customFieldOptionsSchema }) options!: { id: number | string; name?: string | null; rank?: number | null }[] | null;
}

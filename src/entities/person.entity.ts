import { Entity, Index } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { CrmRecord } from './crm-record.base.js';
import { MirrorEmbedded, MirrorField } from './mirror-column.js';
import { Address } from './address.value.js';
import { anyListSchema, Email, emailsSchema, PhoneNumber, phoneNumbersSchema, Social, urlsSchema, Website } from './list-item.values.js';

@Entity({ name: 'people' })
// A company's live people in id order, from the index alone (see crm-record.base.ts).
@Index(['companyId', 'deletedAt'])
@ObjectType({ description: 'A person (contact) in the CRM.' })
@Directive('@key(fields: "id")')
export class Person extends CrmRecord {
  @MirrorField('string') prefix!: string | null;
  @MirrorField('string') firstName!: string | null;
  @MirrorField('string') middleName!: string | null;
  @MirrorField('string') lastName!: string | null;
  @MirrorField('string') suffix!: string | null;
  @MirrorField('string') title!: string | null;

  @MirrorField('id', { description: 'The company; may point to a company that does not exist.' })
  companyId!: string | null;

  @MirrorField('string') companyName!: string | null;
  @MirrorField('id') contactTypeId!: string | null;
  @MirrorEmbedded(() => Address) address!: Address;
  @MirrorField('json', { graphql: () => [Email], schema: emailsSchema }) emails!: object[] | null;
  @MirrorField('json', { graphql: () => [PhoneNumber], schema: phoneNumbersSchema }) phoneNumbers!: object[] | null;
  @MirrorField('json', { graphql: () => [Social], schema: urlsSchema }) socials!: object[] | null;
  @MirrorField('json', { graphql: () => [Website], schema: urlsSchema }) websites!: object[] | null;
  @MirrorField('integer') interactionCount!: number | null;
  @MirrorField('timestamp') dateLastContacted!: Date | null;
  @MirrorField('json', { schema: anyListSchema }) leadsConvertedFrom!: object[] | null;
  @MirrorField('timestamp') dateLeadCreated!: Date | null;
}

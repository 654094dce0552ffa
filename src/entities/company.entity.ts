import { Entity } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { CrmRecord } from './crm-record.base.js';
import { MirrorEmbedded, MirrorField } from './mirror-column.js';
import { Address } from './address.value.js';
import { PhoneNumber, phoneNumbersSchema, Social, urlsSchema, Website } from './list-item.values.js';

@Entity({ name: 'companies' })
@ObjectType({ description: 'A company (organisation) in the CRM.' })
@Directive('@key(fields: "id")')
export class Company extends CrmRecord {
  @MirrorEmbedded(() => Address) address!: Address;
  @MirrorField('id') contactTypeId!: string | null;
  @MirrorField('string') emailDomain!: string | null;
  @MirrorField('json', { graphql: () => [PhoneNumber], schema: phoneNumbersSchema }) phoneNumbers!: object[] | null;
  @MirrorField('json', { graphql: () => [Social], schema: urlsSchema }) socials!: object[] | null;
  @MirrorField('json', { graphql: () => [Website], schema: urlsSchema }) websites!: object[] | null;
  @MirrorField('integer') interactionCount!: number | null;
}

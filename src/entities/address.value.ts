import { ObjectType } from 'type-graphql';
import { MirrorField } from './mirror-column.js';

/** The upstream `address` object, stored as `address_street`, `address_city`, ... columns. */
@ObjectType({ description: 'A postal address as the CRM holds it.' })
export class Address {
  @MirrorField('string') street!: string | null;
  @MirrorField('string') city!: string | null;
  @MirrorField('string') state!: string | null;
  @MirrorField('string') postalCode!: string | null;
  @MirrorField('string') country!: string | null;
}

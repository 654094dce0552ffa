import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { z } from 'zod';

/**
 * Element types of the JSON list columns (emails, phone_numbers, ...). Each has a zod schema
 * the sync checks before storing the list in its typed column (a list that does not fit is
 * stored as NULL there; `raw` keeps it), so GraphQL never meets a value it cannot serialise.
 */

const text = z.string().nullish();
const idLike = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).nullish();

const categorised = <K extends string>(key: K) =>
  z.array(z.looseObject({ [key]: text, category: text } as Record<K | 'category', typeof text>));

export const emailsSchema = categorised('email');
export const phoneNumbersSchema = categorised('number');
export const urlsSchema = categorised('url');
export const tagsSchema = z.array(z.string());
export const anyListSchema = z.array(z.unknown());
export const customFieldsSchema = z.array(
  z.looseObject({ custom_field_definition_id: idLike, value: z.unknown() }),
);

@ObjectType()
export class Email {
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
}

@ObjectType()
export class PhoneNumber {
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
}

@ObjectType()
export class Social {
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
}

@ObjectType()
export class Website {
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
}

@ObjectType({ description: 'A custom field value; `value` is whatever the CRM sent (null, number, string, boolean, ids, epoch seconds).' })
export class CustomField {
  @Field(() => ID, { name: 'customFieldDefinitionId', nullable: true })
  custom_field_definition_id!: number | string | null;

  @Field(() => GraphQLJSON, { nullable: true }) value!: unknown;
}

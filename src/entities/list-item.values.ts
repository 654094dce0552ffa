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

/**
 * Fields of the list-item types whose GraphQL name is not the key of the JSON the CRM sent (and
 * the mirror stores as sent). The list items are plain JSON, not class instances, so these
 * fields need a resolver that reads the key (build-schema.ts installs it); the compiled SQL
 * path reads the same key.
 */
export const JSON_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CustomField: { customFieldDefinitionId: 'custom_field_definition_id' },
};

@ObjectType({ description: 'A custom field value; `value` is whatever the CRM sent (null, number, string, boolean, ids, epoch seconds).' })
export class CustomField {
  @Field(() => ID, { name: 'customFieldDefinitionId', nullable: true })
  custom_field_definition_id!: number | string | null;

  @Field(() => GraphQLJSON, { nullable: true }) value!: unknown;
}

import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class ByIdArgs {
  @Field(() => ID) id!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Return the record even when it is soft-deleted.' })
  includeDeleted!: boolean;
}

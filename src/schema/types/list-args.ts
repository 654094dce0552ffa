import { ArgsType, Field, Int } from 'type-graphql';
import type { ResourceName } from '../../resources/resource-table.js';
import { resourceModel } from '../model/resource-models.js';
import { orderByInputOf, type OrderByInput } from './order-by.input.js';
import { whereInputOf, type WhereInput } from './where.input.js';

/** The arguments of every list: root connections and to-many relations alike. */
export interface ListArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  where?: WhereInput | null;
  orderBy?: OrderByInput[] | null;
  includeDeleted?: boolean | null;
}

const built = new Map<ResourceName, new () => object>();

export function listArgsOf(resource: ResourceName): new () => object {
  const existing = built.get(resource);
  if (existing) return existing;
  const model = resourceModel(resource);
  const Where = whereInputOf(resource);
  const OrderBy = orderByInputOf(resource);

  @ArgsType()
  class ListArgsType {
    @Field(() => Int, { nullable: true, description: 'Page size when paging forward (default and maximum from config).' })
    first?: number;

    @Field(() => String, { nullable: true, description: 'Return nodes after this cursor.' })
    after?: string;

    @Field(() => Int, { nullable: true, description: 'Page size when paging backward.' })
    last?: number;

    @Field(() => String, { nullable: true, description: 'Return nodes before this cursor.' })
    before?: string;

    @Field(() => Where, { nullable: true })
    where?: WhereInput;

    @Field(() => [OrderBy], { nullable: true, description: `Sort keys (default: id ascending).` })
    orderBy?: OrderByInput[];

    @Field(() => Boolean, { defaultValue: false, description: `Include soft-deleted ${model.plural} (deletedAt set).` })
    includeDeleted!: boolean;
  }

  built.set(resource, ListArgsType);
  return ListArgsType;
}

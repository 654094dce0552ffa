import { Field, Int, ObjectType } from 'type-graphql';
import type { ResourceName } from '../../resources/resource-table.js';
import { resourceModel } from '../model/resource-models.js';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'When paging forward: true if an `after` cursor was given.' })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page as resolvers return it; `totalCount` is a getter so it is counted only when selected. */
export interface Connection<T> {
  readonly edges: Edge<T>[];
  readonly nodes: T[];
  readonly pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

const built = new Map<ResourceName, new () => object>();

/** `<Type>Connection` and `<Type>Edge` for a resource, built once. */
export function connectionTypeOf(resource: ResourceName): new () => object {
  const existing = built.get(resource);
  if (existing) return existing;
  const model = resourceModel(resource);

  @ObjectType(model.edgeTypeName)
  class EdgeType {
    @Field(() => String, { description: 'Opaque cursor of this node for `after`/`before`.' }) cursor!: string;
    @Field(() => model.entity) node!: object;
  }

  @ObjectType(model.connectionTypeName, { description: `A page of ${model.plural}.` })
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => [model.entity]) nodes!: object[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Rows matching `where` (ignores paging); counted only when asked for.' })
    totalCount!: number;
  }

  built.set(resource, ConnectionType);
  return ConnectionType;
}

import { Field, InputType, registerEnumType } from 'type-graphql';
import type { ResourceName } from '../../resources/resource-table.js';
import { isSortable } from '../model/query-fields.js';
import { resourceModel } from '../model/resource-models.js';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort order. Nulls sort first ascending and last descending, on MySQL/MariaDB and SQLite alike.',
});

/** One `orderBy` item as resolvers receive it: `field` is the property path (`address.city`). */
export interface OrderByInput {
  field: string;
  direction: SortDirection;
}

const built = new Map<ResourceName, new () => object>();

/** `<Type>OrderBy { field: <Type>OrderField!, direction: SortDirection = ASC }`, built once. */
export function orderByInputOf(resource: ResourceName): new () => object {
  const existing = built.get(resource);
  if (existing) return existing;
  const model = resourceModel(resource);
  const fieldEnum = Object.fromEntries(model.fields.filter(isSortable).map((f) => [f.enumName, f.path]));
  registerEnumType(fieldEnum, { name: `${model.typeName}OrderField`, description: `Fields ${model.plural} can be sorted by.` });
  const OrderBy = class {};
  Field(() => fieldEnum)(OrderBy.prototype, 'field');
  Field(() => SortDirection, { defaultValue: SortDirection.ASC })(OrderBy.prototype, 'direction');
  InputType(`${model.typeName}OrderBy`, {
    description: 'A sort key. Keys apply in list order; `id` is always the final tie-breaker.',
  })(OrderBy);
  built.set(resource, OrderBy);
  return OrderBy;
}

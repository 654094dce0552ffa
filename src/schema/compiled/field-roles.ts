import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { RELATED_RECORD, relationsOf, type ToManyRelation, type ToOneRelation } from '../model/relations.js';
import type { Table } from '../data/table.js';
import { notCompiled } from './not-compiled.js';

/**
 * What a field of a resource's GraphQL type is made of, as the compiler needs to know it: a
 * column (a scalar, or JSON the API passes through), a JSON column of objects the selection
 * picks fields from (`emails { email }`), an embedded value object (`address { city }`), or a
 * relation of the relation table. Read from the relation table and the entity metadata, the
 * same sources the resolvers and loaders use; a field it cannot place is not compiled.
 */
export type FieldRole =
  | { readonly kind: 'column'; readonly path: string }
  | { readonly kind: 'objectList'; readonly path: string; readonly itemType: GraphQLObjectType }
  | { readonly kind: 'embedded'; readonly property: string; readonly type: GraphQLObjectType }
  | { readonly kind: 'toOne'; readonly relation: ToOneRelation }
  | { readonly kind: 'toMany'; readonly relation: ToManyRelation }
  | { readonly kind: 'relatedRecord' };

const cache = new WeakMap<Table, Map<string, FieldRole>>();

export function roleOf(table: Table, field: GraphQLField<unknown, unknown>): FieldRole {
  let roles = cache.get(table);
  if (!roles) cache.set(table, (roles = new Map()));
  let role = roles.get(field.name);
  if (!role) roles.set(field.name, (role = placeField(table, field)));
  return role;
}

function placeField(table: Table, field: GraphQLField<unknown, unknown>): FieldRole {
  const relation = relationsOf(table.model.name).find((r) => r.field === field.name);
  if (relation?.kind === 'one') return { kind: 'toOne', relation };
  if (relation?.kind === 'many') return { kind: 'toMany', relation };
  if (RELATED_RECORD.owner === table.model.name && RELATED_RECORD.field === field.name) return { kind: 'relatedRecord' };
  const named = getNamedType(field.type);
  if (table.metadata.embeddeds.some((e) => e.propertyName === field.name)) {
    if (!isObjectType(named)) throw notCompiled(`${table.model.typeName}.${field.name}: an embedded value without an object type`);
    return { kind: 'embedded', property: field.name, type: named };
  }
  if (!table.metadata.findColumnWithPropertyPath(field.name)) throw notCompiled(`${table.model.typeName}.${field.name}: no column`);
  return isObjectType(named) ? { kind: 'objectList', path: field.name, itemType: named } : { kind: 'column', path: field.name };
}

import { getMetadataArgsStorage } from 'typeorm';
import { toOneRelationsOf, type ToOneRelation } from './relations.js';
import type { QueryField } from './query-fields.js';
import type { ResourceModel } from './resource-models.js';

/**
 * The keys of a resource's `where` input besides AND/OR/NOT: a filter per field, a nested
 * input per embedded value object (`address: { city: ... }`), a nested `where` per to-one
 * relation. The input types and the SQL compiler both read this list, so they cannot disagree.
 */
export type WhereEntry =
  | { readonly kind: 'field'; readonly key: string; readonly field: QueryField }
  | { readonly kind: 'embedded'; readonly key: string; readonly typeName: string; readonly fields: readonly QueryField[] }
  | { readonly kind: 'relation'; readonly key: string; readonly relation: ToOneRelation };

/** Name of the value-object class embedded at `property` of `entity` (`Address`). */
function embeddedTypeName(entity: object, property: string): string {
  for (let c: object | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const found = getMetadataArgsStorage().embeddeds.find((e) => e.target === c && e.propertyName === property);
    if (found) return (found.type() as { name: string }).name;
  }
  throw new Error(`no embedded value object at ${property}`);
}

const cache = new Map<string, readonly WhereEntry[]>();

export function whereEntriesOf(model: ResourceModel): readonly WhereEntry[] {
  const cached = cache.get(model.name);
  if (cached) return cached;
  const entries: WhereEntry[] = [];
  for (const field of model.fields) {
    if (!field.embeddedIn) {
      entries.push({ kind: 'field', key: field.property, field });
    } else if (!entries.some((e) => e.key === field.embeddedIn)) {
      entries.push({
        kind: 'embedded',
        key: field.embeddedIn,
        typeName: embeddedTypeName(model.entity, field.embeddedIn),
        fields: model.fields.filter((f) => f.embeddedIn === field.embeddedIn),
      });
    }
  }
  for (const relation of toOneRelationsOf(model.name)) entries.push({ kind: 'relation', key: relation.field, relation });
  const frozen = Object.freeze(entries);
  cache.set(model.name, frozen);
  return frozen;
}

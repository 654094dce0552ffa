import { createUnionType } from 'type-graphql';
import { RELATED_RECORD } from '../model/relations.js';
import { modelOfInstance, resourceModel } from '../model/resource-models.js';

/** `union RelatedRecord = Person | Company | Opportunity`: what a project's related_resource points at. */
export const RelatedRecord = createUnionType({
  name: 'RelatedRecord',
  description: "The record a project's related_resource points at.",
  types: () => RELATED_RECORD.targets.map((t) => resourceModel(t.target).entity) as [new () => object],
  resolveType: (value: object) => modelOfInstance(value)?.typeName,
});

import { createUnionType } from 'type-graphql';
import { RELATED_RECORD } from '../model/relations.js';
import { modelOfInstance, resourceModel } from '../model/resource-models.js';

export const RELATED_RECORD_UNION = 'RelatedRecord';

/** The object type of a related record: synchronous, see build-schema.ts. */
export const relatedRecordTypeName = (value: object): string | undefined => modelOfInstance(value)?.typeName;

/** `union RelatedRecord = Person | Company | Opportunity`: what a project's related_resource points at. */
export const RelatedRecord = createUnionType({
  name: RELATED_RECORD_UNION,
  description: "The record a project's related_resource points at.",
  types: () => RELATED_RECORD.targets.map((t) => resourceModel(t.target).entity) as [new () => object],
  resolveType: relatedRecordTypeName,
});

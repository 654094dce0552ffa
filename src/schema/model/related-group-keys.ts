import { isReferenceResource } from '../../resources/resource-table.js';
import { isGroupable, upperSnake, type QueryField } from './query-fields.js';
import { toOneRelationsOf, type ToOneRelation } from './relations.js';
import { resourceModel, type ResourceModel } from './resource-models.js';

/**
 * Group keys through a to-one relation into the reference data: `opportunityStats(groupBy:
 * [PIPELINE_STAGE_NAME])` groups by the stage's name rather than its id, the way a report
 * reads. Only into reference data: a record's relation to another record (`company`) has the
 * denormalized upstream field beside it (`companyName`), whose name such a key would take.
 */
export interface RelatedGroupKey {
  readonly relation: ToOneRelation;
  /** The target's field grouped by (its `name`). */
  readonly field: QueryField;
  readonly target: ResourceModel;
  /** The groupBy enum's internal value: `pipelineStage.name`. */
  readonly path: string;
  /** In the group key object: `pipelineStageName`. */
  readonly flatName: string;
  /** In the groupBy enum: `PIPELINE_STAGE_NAME`. */
  readonly enumName: string;
}

const cache = new Map<string, readonly RelatedGroupKey[]>();

export function relatedGroupKeysOf(model: ResourceModel): readonly RelatedGroupKey[] {
  const cached = cache.get(model.name);
  if (cached) return cached;
  const keys = toOneRelationsOf(model.name)
    .filter((relation) => isReferenceResource(relation.target))
    .flatMap((relation): RelatedGroupKey[] => {
      const target = resourceModel(relation.target);
      const field = target.fieldByPath.get('name');
      if (!field || !isGroupable(field)) return [];
      const flatName = `${relation.field}Name`;
      return [{ relation, field, target, path: `${relation.field}.name`, flatName, enumName: upperSnake(flatName) }];
    });
  const frozen = Object.freeze(keys);
  cache.set(model.name, frozen);
  return frozen;
}

export function relatedGroupKey(model: ResourceModel, path: string): RelatedGroupKey | undefined {
  return relatedGroupKeysOf(model).find((key) => key.path === path);
}

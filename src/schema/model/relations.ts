import { snakeCase } from '../../entities/mirror-column.js';
import { RECORD_RESOURCES, RECORD_RESOURCE_NAMES, type ResourceName } from '../../resources/resource-table.js';

/**
 * The declarative table of relations between the mirrored resources: the four records among
 * themselves, and the records and the reference data they point at by id. Field resolvers, the
 * per-request loaders and the relation filters in `where` are generated from it.
 */

/** The owner holds the foreign key: `Person.company` through `people.company_id`. */
export interface ToOneRelation {
  readonly kind: 'one';
  readonly owner: ResourceName;
  readonly field: string;
  readonly target: ResourceName;
  /** Property path of the foreign key on the owner. */
  readonly foreignKey: string;
  readonly description: string;
}

/** The target holds the foreign key: `Company.people` through `people.company_id`. */
export interface ToManyRelation {
  readonly kind: 'many';
  readonly owner: ResourceName;
  readonly field: string;
  readonly target: ResourceName;
  /** Property path of the foreign key on the target. */
  readonly foreignKey: string;
  /** A further equality the target rows must meet (a polymorphic key's type column). */
  readonly scope?: { readonly path: string; readonly value: string };
  readonly description: string;
}

export type Relation = ToOneRelation | ToManyRelation;

const projectsOf = RECORD_RESOURCES.filter((r) => r.relatedType !== null).map(
  (r): ToManyRelation => ({
    kind: 'many',
    owner: r.name,
    field: 'projects',
    target: 'projects',
    foreignKey: 'relatedResource.id',
    scope: { path: 'relatedResource.type', value: r.relatedType! },
    description: `Projects whose related resource is this ${r.relatedType}.`,
  }),
);

const one = (owner: ResourceName, field: string, target: ResourceName, foreignKey: string, description: string): ToOneRelation => ({ kind: 'one', owner, field, target, foreignKey, description });
const many = (owner: ResourceName, field: string, target: ResourceName, foreignKey: string, description: string): ToManyRelation => ({ kind: 'many', owner, field, target, foreignKey, description });

/** Each record's owner, and each user's records (`User.opportunities`, ...). */
const assigned = RECORD_RESOURCE_NAMES.flatMap((name) => [
  one(name, 'assignee', 'users', 'assigneeId', 'The user it is assigned to (null when assignee_id points at no live user).'),
  many('users', name, name, 'assigneeId', `The ${name} assigned to this user.`),
]);

/** A lookup (pipeline stage, contact type, ...) and the records that point at it. */
const lookups = (
  [
    ['opportunities', 'pipeline', 'pipelines', 'pipelineId', 'The pipeline'],
    ['opportunities', 'pipelineStage', 'pipeline_stages', 'pipelineStageId', 'The pipeline stage'],
    ['opportunities', 'customerSource', 'customer_sources', 'customerSourceId', 'The customer source'],
    ['opportunities', 'lossReason', 'loss_reasons', 'lossReasonId', 'The loss reason'],
    ['people', 'contactType', 'contact_types', 'contactTypeId', 'The contact type'],
    ['companies', 'contactType', 'contact_types', 'contactTypeId', 'The contact type'],
  ] as const
).flatMap(([owner, field, target, foreignKey, what]) => [
  one(owner, field, target, foreignKey, `${what} (null when ${snakeCase(foreignKey)} points at no live one).`),
  many(target, owner, owner, foreignKey, `The ${owner} whose ${snakeCase(foreignKey)} is this one.`),
]);

export const RELATIONS: readonly Relation[] = Object.freeze([
  one('people', 'company', 'companies', 'companyId', 'The company (null when company_id points at no live company).'),
  one('opportunities', 'company', 'companies', 'companyId', 'The company (null when company_id points at no live company).'),
  one('opportunities', 'primaryContact', 'people', 'primaryContactId', 'The primary contact (null when primary_contact_id points at no live person).'),
  many('companies', 'people', 'people', 'companyId', 'People whose company is this one.'),
  many('companies', 'opportunities', 'opportunities', 'companyId', 'Opportunities of this company.'),
  many('people', 'opportunities', 'opportunities', 'primaryContactId', 'Opportunities with this person as primary contact.'),
  ...projectsOf,
  ...assigned,
  ...lookups,
  one('pipeline_stages', 'pipeline', 'pipelines', 'pipelineId', 'The pipeline the stage belongs to.'),
  many('pipelines', 'stages', 'pipeline_stages', 'pipelineId', 'The stages of this pipeline.'),
]);
/**
 * `Project.relatedRecord`: a polymorphic to-one relation. The type column names the target
 * through the resource table's `relatedType`.
 */
export const RELATED_RECORD = Object.freeze({
  owner: 'projects' as ResourceName,
  field: 'relatedRecord',
  idPath: 'relatedResource.id',
  typePath: 'relatedResource.type',
  targets: RECORD_RESOURCES.filter((r) => r.relatedType !== null).map((r) => ({ type: r.relatedType!, target: r.name })),
});

export const relationKey = (r: Relation): string => `${r.owner}.${r.field}`;
export const toOneRelationsOf = (owner: ResourceName): ToOneRelation[] =>
  RELATIONS.filter((r): r is ToOneRelation => r.kind === 'one' && r.owner === owner);
export const relationsOf = (owner: ResourceName): Relation[] => RELATIONS.filter((r) => r.owner === owner);

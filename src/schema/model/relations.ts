import { RECORD_RESOURCES, type RecordResourceName } from '../../resources/resource-table.js';

/**
 * The declarative table of relations between the mirrored resources. Field resolvers, the
 * per-request loaders and the relation filters in `where` are generated from it.
 */

/** The owner holds the foreign key: `Person.company` through `people.company_id`. */
export interface ToOneRelation {
  readonly kind: 'one';
  readonly owner: RecordResourceName;
  readonly field: string;
  readonly target: RecordResourceName;
  /** Property path of the foreign key on the owner. */
  readonly foreignKey: string;
  readonly description: string;
}

/** The target holds the foreign key: `Company.people` through `people.company_id`. */
export interface ToManyRelation {
  readonly kind: 'many';
  readonly owner: RecordResourceName;
  readonly field: string;
  readonly target: RecordResourceName;
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

export const RELATIONS: readonly Relation[] = Object.freeze([
  { kind: 'one', owner: 'people', field: 'company', target: 'companies', foreignKey: 'companyId', description: 'The company (null when company_id points at no live company).' },
  { kind: 'one', owner: 'opportunities', field: 'company', target: 'companies', foreignKey: 'companyId', description: 'The company (null when company_id points at no live company).' },
  { kind: 'one', owner: 'opportunities', field: 'primaryContact', target: 'people', foreignKey: 'primaryContactId', description: 'The primary contact (null when primary_contact_id points at no live person).' },
  { kind: 'many', owner: 'companies', field: 'people', target: 'people', foreignKey: 'companyId', description: 'People whose company is this one.' },
  { kind: 'many', owner: 'companies', field: 'opportunities', target: 'opportunities', foreignKey: 'companyId', description: 'Opportunities of this company.' },
  { kind: 'many', owner: 'people', field: 'opportunities', target: 'opportunities', foreignKey: 'primaryContactId', description: 'Opportunities with this person as primary contact.' },
  ...projectsOf,
] satisfies Relation[]);

/**
 * `Project.relatedRecord`: a polymorphic to-one relation. The type column names the target
 * through the resource table's `relatedType`.
 */
export const RELATED_RECORD = Object.freeze({
  owner: 'projects' as RecordResourceName,
  field: 'relatedRecord',
  idPath: 'relatedResource.id',
  typePath: 'relatedResource.type',
  targets: RECORD_RESOURCES.filter((r) => r.relatedType !== null).map((r) => ({ type: r.relatedType!, target: r.name })),
});

export const relationKey = (r: Relation): string => `${r.owner}.${r.field}`;
export const toOneRelationsOf = (owner: RecordResourceName): ToOneRelation[] =>
  RELATIONS.filter((r): r is ToOneRelation => r.kind === 'one' && r.owner === owner);
export const relationsOf = (owner: RecordResourceName): Relation[] => RELATIONS.filter((r) => r.owner === owner);

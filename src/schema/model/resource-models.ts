import type { MirroredRecord } from '../../entities/index.js';
import { RESOURCES, type ResourceDefinition, type ResourceName } from '../../resources/resource-table.js';
import { queryFieldsOf, type QueryField } from './query-fields.js';

/**
 * What the GraphQL layer derives from the resource table for each resource: its type name, the
 * names of its root fields and its queryable fields. Nothing here knows a particular resource.
 */
export interface ResourceModel {
  readonly def: ResourceDefinition;
  readonly name: ResourceName;
  readonly entity: new () => MirroredRecord;
  /** GraphQL object type name: `Person`. */
  readonly typeName: string;
  /** Root field for one record: `person`. */
  readonly singular: string;
  /** Root field for the connection: `people`. */
  readonly plural: string;
  /** Root field for the grouped aggregates: `personStats`. */
  readonly statsField: string;
  /** Its connection and edge object types: `PersonConnection`, `PersonEdge`. */
  readonly connectionTypeName: string;
  readonly edgeTypeName: string;
  readonly fields: readonly QueryField[];
  readonly fieldByPath: ReadonlyMap<string, QueryField>;
}

function modelOf(def: ResourceDefinition): ResourceModel {
  const typeName = def.entity.name;
  const fields = queryFieldsOf(def.entity);
  return Object.freeze({
    def,
    name: def.name,
    entity: def.entity,
    typeName,
    singular: typeName.charAt(0).toLowerCase() + typeName.slice(1),
    // `pipeline_stages` → `pipelineStages`: GraphQL names are camelCase whatever the table is called.
    plural: def.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    statsField: `${typeName.charAt(0).toLowerCase() + typeName.slice(1)}Stats`,
    connectionTypeName: `${typeName}Connection`,
    edgeTypeName: `${typeName}Edge`,
    fields,
    fieldByPath: new Map(fields.map((f) => [f.path, f])),
  });
}

export const RESOURCE_MODELS: readonly ResourceModel[] = Object.freeze(RESOURCES.map(modelOf));

/**
 * Root fields whose `first` defaults to the maximum page size rather than the default one:
 * the stats, which return every group unless told otherwise. The cost estimator reads this, so
 * such a field is costed at what it can really return.
 */
export const MAX_PAGE_BY_DEFAULT: ReadonlySet<string> = new Set(RESOURCE_MODELS.map((m) => m.statsField));

const byName = new Map(RESOURCE_MODELS.map((m) => [m.name, m]));

export function resourceModel(name: ResourceName): ResourceModel {
  const found = byName.get(name);
  if (!found) throw new Error(`unknown resource ${JSON.stringify(name)}`);
  return found;
}

/** The model of an entity instance (rows are hydrated as entity class instances). */
export function modelOfInstance(value: object): ResourceModel | undefined {
  return RESOURCE_MODELS.find((m) => value instanceof m.entity);
}

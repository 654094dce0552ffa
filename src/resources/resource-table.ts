import { Company, ContactType, CustomerSource, CustomFieldDefinition, LossReason, Opportunity, Person, Pipeline, PipelineStage, Project, User } from '../entities/index.js';
import type { CrmRecord, MirroredRecord } from '../entities/index.js';

/**
 * The one declarative table of mirrored resources, shared by the sync and the schema: fetching,
 * storing, scheduling, the CLI's `--resource` choices, the read scopes and the GraphQL types and
 * enums are all driven from it. Two kinds:
 * - the four CRM **records**, searched page by page, crawled incrementally and reconciled;
 * - the **reference data** they point at by id, each a complete list fetched whole at every sync.
 */
export type RecordResourceName = 'people' | 'companies' | 'opportunities' | 'projects';
export type ReferenceResourceName = 'users' | 'pipelines' | 'pipeline_stages' | 'contact_types' | 'customer_sources' | 'loss_reasons' | 'custom_field_definitions';
export type ResourceName = RecordResourceName | ReferenceResourceName;

export interface RecordResourceDefinition<E extends CrmRecord = CrmRecord> {
  readonly kind: 'record';
  /** Table name, upstream path segment and CLI name. */
  readonly name: RecordResourceName;
  /** The `related_resource.type` value that points at this resource, if any. */
  readonly relatedType: 'person' | 'company' | 'opportunity' | null;
  /** Search endpoint, relative to UPSTREAM_BASE_URL. */
  readonly path: string;
  readonly entity: new () => E;
  /** Upstream field the incremental cursor follows (epoch seconds). The crawl strategy comes from what the API honours (strategies/choose.ts). */
  readonly cursorField: 'date_modified';
}

/** How a complete list is fetched: one GET, or a search paged like the records' (users). */
export type ReferenceFetch = { readonly method: 'GET'; readonly path: string } | { readonly method: 'POST'; readonly path: string; readonly paged: true };

export interface ReferenceResourceDefinition<E extends MirroredRecord = MirroredRecord> {
  readonly kind: 'reference';
  /** Table name and CLI name, as the API names the endpoint. */
  readonly name: ReferenceResourceName;
  readonly fetch: ReferenceFetch;
  readonly entity: new () => E;
}

export type ResourceDefinition = RecordResourceDefinition | ReferenceResourceDefinition;

export const RECORD_RESOURCES: readonly RecordResourceDefinition[] = Object.freeze([
  { kind: 'record', name: 'companies', relatedType: 'company', path: '/v1/resource/companies/search', entity: Company, cursorField: 'date_modified' },
  { kind: 'record', name: 'people', relatedType: 'person', path: '/v1/resource/people/search', entity: Person, cursorField: 'date_modified' },
  { kind: 'record', name: 'opportunities', relatedType: 'opportunity', path: '/v1/resource/opportunities/search', entity: Opportunity, cursorField: 'date_modified' },
  { kind: 'record', name: 'projects', relatedType: null, path: '/v1/resource/projects/search', entity: Project, cursorField: 'date_modified' },
] satisfies RecordResourceDefinition[]);

export const REFERENCE_RESOURCES: readonly ReferenceResourceDefinition[] = Object.freeze([
  { kind: 'reference', name: 'users', fetch: { method: 'POST', path: '/v1/users/search', paged: true }, entity: User },
  { kind: 'reference', name: 'pipelines', fetch: { method: 'GET', path: '/v1/pipelines' }, entity: Pipeline },
  { kind: 'reference', name: 'pipeline_stages', fetch: { method: 'GET', path: '/v1/pipeline_stages' }, entity: PipelineStage },
  { kind: 'reference', name: 'contact_types', fetch: { method: 'GET', path: '/v1/contact_types' }, entity: ContactType },
  { kind: 'reference', name: 'customer_sources', fetch: { method: 'GET', path: '/v1/customer_sources' }, entity: CustomerSource },
  { kind: 'reference', name: 'loss_reasons', fetch: { method: 'GET', path: '/v1/loss_reasons' }, entity: LossReason },
  { kind: 'reference', name: 'custom_field_definitions', fetch: { method: 'GET', path: '/v1/custom_field_definitions' }, entity: CustomFieldDefinition },
] satisfies ReferenceResourceDefinition[]);

/** Every mirrored resource, records first. */
export const RESOURCES: readonly ResourceDefinition[] = Object.freeze([...RECORD_RESOURCES, ...REFERENCE_RESOURCES]);

export const RECORD_RESOURCE_NAMES: readonly RecordResourceName[] = RECORD_RESOURCES.map((r) => r.name);
export const REFERENCE_RESOURCE_NAMES: readonly ReferenceResourceName[] = REFERENCE_RESOURCES.map((r) => r.name);
export const RESOURCE_NAMES: readonly ResourceName[] = RESOURCES.map((r) => r.name);

/** The GraphQL enum value of a resource, derived from its name: `pipeline_stages` → `PIPELINE_STAGES`. */
export const resourceEnumValue = (name: ResourceName): string => name.toUpperCase();

const RECORD_NAME_SET: ReadonlySet<string> = new Set(RECORD_RESOURCE_NAMES);
const REFERENCE_NAME_SET: ReadonlySet<string> = new Set(REFERENCE_RESOURCE_NAMES);
// Asked on every read-scope check: a set lookup.
export const isRecordResource = (name: string): name is RecordResourceName => RECORD_NAME_SET.has(name);
export const isReferenceResource = (name: string): name is ReferenceResourceName => REFERENCE_NAME_SET.has(name);

export function resourceByName(name: string): ResourceDefinition {
  const found = RESOURCES.find((r) => r.name === name);
  if (!found) throw new Error(`unknown resource: expected one of ${RESOURCE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  return found;
}

export function recordResourceByName(name: string): RecordResourceDefinition {
  const found = RECORD_RESOURCES.find((r) => r.name === name);
  if (!found) throw new Error(`unknown resource: expected one of ${RECORD_RESOURCE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  return found;
}

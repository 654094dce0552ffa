import { Company, Opportunity, Person, Project } from '../entities/index.js';
import type { CrmRecord } from '../entities/index.js';

/**
 * The one declarative table of mirrored resources. Fetching, storing, scheduling, the CLI's
 * `--resource` choices and the GraphQL `Resource` enum are all driven from it.
 */
export type ResourceName = 'people' | 'companies' | 'opportunities' | 'projects';

export interface ResourceDefinition<E extends CrmRecord = CrmRecord> {
  /** Table name, upstream path segment and CLI name. */
  readonly name: ResourceName;
  /** GraphQL `Resource` enum value. */
  readonly enumValue: 'PEOPLE' | 'COMPANIES' | 'OPPORTUNITIES' | 'PROJECTS';
  /** The `related_resource.type` value that points at this resource, if any. */
  readonly relatedType: 'person' | 'company' | 'opportunity' | null;
  /** Search endpoint, relative to UPSTREAM_BASE_URL. */
  readonly path: string;
  readonly entity: new () => E;
  /** Upstream field the incremental cursor follows (epoch seconds). The crawl strategy comes from what the API honours (strategies/choose.ts). */
  readonly cursorField: 'date_modified';
}

export const RESOURCES: readonly ResourceDefinition[] = Object.freeze([
  { name: 'companies', enumValue: 'COMPANIES', relatedType: 'company', path: '/v1/resource/companies/search', entity: Company, cursorField: 'date_modified' },
  { name: 'people', enumValue: 'PEOPLE', relatedType: 'person', path: '/v1/resource/people/search', entity: Person, cursorField: 'date_modified' },
  { name: 'opportunities', enumValue: 'OPPORTUNITIES', relatedType: 'opportunity', path: '/v1/resource/opportunities/search', entity: Opportunity, cursorField: 'date_modified' },
  { name: 'projects', enumValue: 'PROJECTS', relatedType: null, path: '/v1/resource/projects/search', entity: Project, cursorField: 'date_modified' },
] satisfies ResourceDefinition[]);

export const RESOURCE_NAMES: readonly ResourceName[] = RESOURCES.map((r) => r.name);

export function resourceByName(name: string): ResourceDefinition {
  const found = RESOURCES.find((r) => r.name === name);
  if (!found) throw new Error(`unknown resource: expected one of ${RESOURCE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  return found;
}

/**
 * The four upstream resources as the simulator sees them: one table, so dataset generation,
 * search validation and routing never repeat themselves per resource.
 */

export const SIMULATED_RESOURCES = ['companies', 'people', 'opportunities', 'projects'] as const;
export type ResourceName = (typeof SIMULATED_RESOURCES)[number];

/** A record as served: any JSON object. Only `id` is promised, and even that is not in hostile mode. */
export type UpstreamRecord = { [field: string]: unknown };

interface ResourceTraits {
  /** Share of `records` this resource gets (the shares sum to 1). */
  share: number;
  /** The `type` used for it in a project's `related_resource`. */
  relatedType: 'company' | 'person' | 'opportunity' | null;
  /** `sort_by` values the search accepts beyond the shared ones; anything else is a 400. */
  extraSortFields: readonly string[];
  /** A small integer used to derive this resource's random streams from the seed. */
  streamId: number;
  /** The API's own order (ascending), used when a search does not say or its sort_by is ignored. */
  defaultSort: string;
}

const SHARED_SORT_FIELDS = ['date_modified', 'date_created', 'name', 'assignee_id'] as const;

export const RESOURCE_TRAITS: Record<ResourceName, ResourceTraits> = {
  companies: {
    share: 0.15,
    relatedType: 'company',
    extraSortFields: ['email_domain', 'interaction_count', 'contact_type_id'],
    streamId: 1,
    defaultSort: 'name',
  },
  people: {
    share: 0.45,
    relatedType: 'person',
    extraSortFields: ['first_name', 'last_name', 'title', 'company_name', 'interaction_count', 'date_last_contacted'],
    streamId: 2,
    defaultSort: 'first_name',
  },
  opportunities: {
    share: 0.25,
    relatedType: 'opportunity',
    extraSortFields: ['status', 'priority', 'monetary_value', 'win_probability', 'close_date', 'company_name', 'interaction_count'],
    streamId: 3,
    defaultSort: 'name',
  },
  projects: { share: 0.15, relatedType: null, extraSortFields: ['status'], streamId: 4, defaultSort: 'name' },
};

export function isResourceName(value: string): value is ResourceName {
  return (SIMULATED_RESOURCES as readonly string[]).includes(value);
}

export function sortFieldsOf(resource: ResourceName): readonly string[] {
  return [...SHARED_SORT_FIELDS, ...RESOURCE_TRAITS[resource].extraSortFields];
}

/** Checks the keys of a per-resource option; throws naming the option and the unknown name. */
export function checkResourceKeys(option: string, value: object): void {
  for (const key of Object.keys(value)) {
    if (!isResourceName(key)) throw new RangeError(`${option}: unknown resource "${key}" (known: ${SIMULATED_RESOURCES.join(', ')})`);
  }
}

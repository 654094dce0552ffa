import { RESOURCE_TRAITS, type ResourceName } from './resources.js';
import type { AbsentSort, SearchBehaviour } from './search-behaviour.js';
import type { SearchQuery } from './search-query.js';

/** A search as a resource's behaviour reads it: only what it honours of what was sent. */
export interface SearchPlan {
  sortBy: string;
  descending: boolean;
  /** The date ranges honoured and actually bounded (at least one of min, max). */
  ranges: { field: 'date_modified' | 'date_created'; min?: number; max?: number }[];
  /** Undefined when not sent or not honoured. */
  ids?: number[];
}

export function planSearch(query: SearchQuery, resource: ResourceName, behaviour: SearchBehaviour, absentSort: AbsentSort): SearchPlan {
  const defaultSort = RESOURCE_TRAITS[resource].defaultSort;
  const honoured = behaviour.sort === 'honoured';
  const asked = query.sort_by ?? (absentSort === 'date_modified' ? 'date_modified' : defaultSort);
  const ranges: SearchPlan['ranges'] = [];
  if (behaviour.modifiedFilter) ranges.push({ field: 'date_modified', min: query.minimum_modified_date, max: query.maximum_modified_date });
  if (behaviour.createdFilter) ranges.push({ field: 'date_created', min: query.minimum_created_date, max: query.maximum_created_date });
  return {
    sortBy: honoured ? asked : defaultSort,
    descending: honoured && query.sort_direction === 'desc',
    ranges: ranges.filter((range) => range.min !== undefined || range.max !== undefined),
    ids: behaviour.idsFilter ? query.ids : undefined,
  };
}

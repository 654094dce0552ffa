import type { ResourceName } from './resources.js';

/**
 * How one resource's search treats what it is sent. The honest behaviour (every filter and sort
 * honoured, ties in id order, a 400 past the cap) is the default; the others are what the real
 * API is allowed to do (see the README's semantics section), switchable per resource so a test
 * can pin each one.
 */
export interface SearchBehaviour {
  /** minimum_/maximum_modified_date honoured; false: silently ignored (as Copper does for people and companies). */
  modifiedFilter: boolean;
  /** minimum_/maximum_created_date honoured; false: silently ignored. */
  createdFilter: boolean;
  /** `ids` honoured (the live records among them); false: silently ignored. */
  idsFilter: boolean;
  /** 'honoured': sort_by/sort_direction as asked; 'ignored': always the resource's default order (below). */
  sort: 'honoured' | 'ignored';
  /** true: records that tie on the sort key come back in a fresh random order on every request (even two identical ones). */
  unstableTies: boolean;
  /** What a page starting at or past the cap gets: 'error' (400, today's) or 'empty' (200 with no records). */
  pastCap: 'error' | 'empty';
}

export type SearchProfile = 'honest' | 'copper';
export const SEARCH_PROFILES: readonly SearchProfile[] = ['honest', 'copper'];

/**
 * Where a search without `sort_by` starts from. The honest profile keeps `date_modified` (what the
 * simulator always did); the copper profile uses the resource's default order, as Copper does.
 */
export type AbsentSort = 'date_modified' | 'default order';

export const HONEST_BEHAVIOUR: Readonly<SearchBehaviour> = Object.freeze({
  modifiedFilter: true,
  createdFilter: true,
  idsFilter: true,
  sort: 'honoured',
  unstableTies: false,
  pastCap: 'error',
});

/**
 * The copper profile is the unkindest reading of Copper's documentation, on purpose: whatever it
 * does not promise is taken as not done. The modified filter is documented for opportunities and
 * projects only, so people and companies ignore it; no order within ties is promised, so ties
 * are shuffled on every request. What it does document (the created-date range, `ids`, sort_by,
 * a 400 past the cap) is honoured.
 */
const COPPER_BEHAVIOUR: Record<ResourceName, SearchBehaviour> = {
  people: { ...HONEST_BEHAVIOUR, modifiedFilter: false, unstableTies: true },
  companies: { ...HONEST_BEHAVIOUR, modifiedFilter: false, unstableTies: true },
  opportunities: { ...HONEST_BEHAVIOUR, unstableTies: true },
  projects: { ...HONEST_BEHAVIOUR, unstableTies: true },
};

/** The behaviour a profile gives a resource (a fresh object the caller may change). */
export function profileBehaviour(profile: SearchProfile, resource: ResourceName): SearchBehaviour {
  return { ...(profile === 'copper' ? COPPER_BEHAVIOUR[resource] : HONEST_BEHAVIOUR) };
}

export function absentSortOf(profile: SearchProfile): AbsentSort {
  return profile === 'copper' ? 'default order' : 'date_modified';
}

const CHOICES: { [K in keyof SearchBehaviour]: readonly SearchBehaviour[K][] } = {
  modifiedFilter: [true, false],
  createdFilter: [true, false],
  idsFilter: [true, false],
  sort: ['honoured', 'ignored'],
  unstableTies: [true, false],
  pastCap: ['error', 'empty'],
};

/**
 * Checks a partial behaviour that came from outside the type system (a JSON hook, a CLI flag):
 * throws a RangeError naming the setting, what it takes and what arrived.
 */
export function checkBehaviour(partial: unknown, context: string): Partial<SearchBehaviour> {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) throw new RangeError(`${context}: expected an object of behaviour settings`);
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in CHOICES)) throw new RangeError(`${context}: unknown behaviour setting "${key}" (known: ${Object.keys(CHOICES).join(', ')})`);
    const choices = CHOICES[key as keyof SearchBehaviour] as readonly unknown[];
    if (!choices.includes(value)) {
      throw new RangeError(`${context}: ${key} must be ${choices.map((c) => JSON.stringify(c)).join(' or ')}, got ${JSON.stringify(value)}`);
    }
  }
  return partial as Partial<SearchBehaviour>;
}

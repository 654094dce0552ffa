import { isResourceName, SIMULATED_RESOURCES, type ResourceName } from './resources.js';
import type { SearchBehaviour } from './search-behaviour.js';

/**
 * Command-line spellings of per-resource settings: `people:sort=ignored,ties=unstable` for a
 * behaviour, `people=450` for a count. Errors say what was expected and what arrived; the caller
 * names the flag.
 */

/** Each CLI word maps onto one SearchBehaviour setting, with its two spellings. */
const BEHAVIOUR_WORDS = {
  modified: { setting: 'modifiedFilter', values: { honoured: true, ignored: false } },
  created: { setting: 'createdFilter', values: { honoured: true, ignored: false } },
  ids: { setting: 'idsFilter', values: { honoured: true, ignored: false } },
  sort: { setting: 'sort', values: { honoured: 'honoured', ignored: 'ignored' } },
  ties: { setting: 'unstableTies', values: { stable: false, unstable: true } },
  cap: { setting: 'pastCap', values: { error: 'error', empty: 'empty' } },
} as const satisfies Record<string, { setting: keyof SearchBehaviour; values: Record<string, unknown> }>;

type BehaviourWord = keyof typeof BEHAVIOUR_WORDS;

const BEHAVIOUR_FORM = '<resource>:<setting>=<value>,... with settings modified|created|ids|sort=honoured|ignored, ties=stable|unstable, cap=error|empty';

/** Parses `people:sort=ignored,ties=unstable,cap=empty` (one resource). */
export function parseBehaviourSpec(text: string): { resource: ResourceName; behaviour: Partial<SearchBehaviour> } {
  const colon = text.indexOf(':');
  const resource = text.slice(0, colon).trim();
  if (colon === -1 || !isResourceName(resource)) {
    throw new RangeError(`expected ${BEHAVIOUR_FORM} (resource one of ${SIMULATED_RESOURCES.join(', ')}), got ${JSON.stringify(text)}`);
  }
  const behaviour: Partial<Record<keyof SearchBehaviour, unknown>> = {};
  for (const pair of text.slice(colon + 1).split(',')) {
    const [word, value, extra] = pair.split('=').map((part) => part.trim());
    if (!(word in BEHAVIOUR_WORDS) || value === undefined || extra !== undefined) {
      throw new RangeError(`expected ${BEHAVIOUR_FORM}, got ${JSON.stringify(pair)} in ${JSON.stringify(text)}`);
    }
    const { setting, values } = BEHAVIOUR_WORDS[word as BehaviourWord];
    if (!(value in values)) throw new RangeError(`expected ${word}=${Object.keys(values).join('|')}, got ${JSON.stringify(pair)}`);
    behaviour[setting] = values[value as keyof typeof values];
  }
  return { resource, behaviour: behaviour as Partial<SearchBehaviour> };
}

/** Parses `people=450` or `people=450,companies=10` into counts per resource. */
export function parseResourceCounts(text: string): Partial<Record<ResourceName, number>> {
  const counts: Partial<Record<ResourceName, number>> = {};
  for (const pair of text.split(',')) {
    const [resource, value, extra] = pair.split('=').map((part) => part.trim());
    if (!isResourceName(resource) || value === undefined || extra !== undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new RangeError(`expected <resource>=<count> with resource one of ${SIMULATED_RESOURCES.join(', ')} and a whole number, got ${JSON.stringify(pair)}`);
    }
    counts[resource] = Number(value);
  }
  return counts;
}

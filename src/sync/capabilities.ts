import type { RecordResourceName } from '../resources/resource-table.js';

/**
 * What a resource's search honours, as data. Each capability is a yes/no question a probe can
 * answer with a request or two (probe.ts); the strategies (strategies/choose.ts) are chosen from
 * the answers. Nothing here is assumed true of an API until a request has shown it, except what a
 * profile states as its starting assumption.
 */
export const CAPABILITY_NAMES = [
  'modifiedMin',
  'modifiedMax',
  'createdMin',
  'createdMax',
  'ids',
  'sortModifiedAsc',
  'sortModifiedDesc',
  'sortCreatedAsc',
  'sortCreatedDesc',
  'stableTies',
] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];
export type Capabilities = Readonly<Record<CapabilityName, boolean>>;

/** A probe's answer per capability: true/false when a request showed it, null when it proved nothing. */
export type Findings = Partial<Record<CapabilityName, boolean | null>>;

export type UpstreamProfile = 'generic' | 'copper';
export const UPSTREAM_PROFILES: readonly UpstreamProfile[] = ['generic', 'copper'];

const EVERYTHING: Capabilities = Object.freeze(Object.fromEntries(CAPABILITY_NAMES.map((name) => [name, true])) as Record<CapabilityName, boolean>);

/**
 * Copper documents the modified range for opportunities and projects only, the created range and
 * `ids` for all four, and no order within ties: its starting assumption says exactly that.
 */
const COPPER: Record<RecordResourceName, Capabilities> = {
  people: { ...EVERYTHING, modifiedMin: false, modifiedMax: false, stableTies: false },
  companies: { ...EVERYTHING, modifiedMin: false, modifiedMax: false, stableTies: false },
  opportunities: { ...EVERYTHING, stableTies: false },
  projects: { ...EVERYTHING, stableTies: false },
};

/** The starting assumption of a profile for a resource (generic: the API honours what it is sent, as before). */
export function assumedCapabilities(profile: UpstreamProfile, resource: RecordResourceName): Capabilities {
  return profile === 'copper' ? COPPER[resource] : EVERYTHING;
}

/** Where each effective value came from, for `syncStatus` and `mirrorgraph probe`. */
export type CapabilitySource = 'configured' | 'probed' | 'assumed';

export interface EffectiveCapability {
  name: CapabilityName;
  value: boolean;
  source: CapabilitySource;
}

/** Configuration overrides a probe; a probe's proven finding overrides the profile's assumption. */
export function effectiveCapabilities(assumed: Capabilities, findings: Findings, configured: Findings): EffectiveCapability[] {
  return CAPABILITY_NAMES.map((name) => {
    const set = configured[name];
    if (typeof set === 'boolean') return { name, value: set, source: 'configured' };
    const found = findings[name];
    if (typeof found === 'boolean') return { name, value: found, source: 'probed' };
    return { name, value: assumed[name], source: 'assumed' };
  });
}

export function capabilitiesOf(effective: readonly EffectiveCapability[]): Capabilities {
  return Object.fromEntries(effective.map((entry) => [entry.name, entry.value])) as Record<CapabilityName, boolean>;
}

/**
 * Parses SYNC_CAPABILITIES: a JSON object of resource name to an object of capability name to
 * true/false, e.g. `{"people":{"modifiedMin":false}}`. Resolves with the overrides or with the
 * problems found (each naming what was expected and what arrived).
 */
export function parseCapabilityOverrides(
  text: string,
  resources: readonly string[],
): { overrides: Partial<Record<RecordResourceName, Findings>>; problems: string[] } {
  const problems: string[] = [];
  const overrides: Partial<Record<RecordResourceName, Findings>> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { overrides, problems: ['expected a JSON object such as {"people":{"modifiedMin":false}}, got text that is not JSON'] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { overrides, problems: [`expected a JSON object of resource names, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`] };
  }
  for (const [resource, value] of Object.entries(parsed)) {
    if (!resources.includes(resource)) {
      problems.push(`unknown resource ${JSON.stringify(resource.slice(0, 40))} (expected one of ${resources.join(', ')})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${resource}: expected an object of capability names to true/false`);
      continue;
    }
    const findings: Findings = {};
    for (const [name, flag] of Object.entries(value as Record<string, unknown>)) {
      if (!(CAPABILITY_NAMES as readonly string[]).includes(name)) {
        problems.push(`${resource}: unknown capability ${JSON.stringify(name.slice(0, 40))} (expected one of ${CAPABILITY_NAMES.join(', ')})`);
      } else if (typeof flag !== 'boolean') {
        problems.push(`${resource}.${name}: expected true or false, got ${JSON.stringify(flag)?.slice(0, 40)}`);
      } else findings[name as CapabilityName] = flag;
    }
    overrides[resource as RecordResourceName] = findings;
  }
  return { overrides, problems };
}

import { isRecordResource, RECORD_RESOURCE_NAMES, type ResourceName } from '../resources/resource-table.js';

/**
 * What a caller may do. A caller holds a set of these (an API key's, a JWT's claim, all of
 * them for ADMIN_TOKEN or AUTH_MODE=none); every path a record can leave by checks them.
 */
export const RESOURCE_READ_SCOPES = RECORD_RESOURCE_NAMES.map((name) => `read:${name}` as const);
/** The reference data (users, pipelines, stages, ...): lookups of the records, one scope for all of them. */
export const REFERENCE_READ_SCOPE = 'read:reference';
export const SCOPES = [...RESOURCE_READ_SCOPES, REFERENCE_READ_SCOPE, 'read:pii', 'read:deleted', 'read:sync', 'sync:write'] as const;
export type Scope = (typeof SCOPES)[number];

const KNOWN: ReadonlySet<string> = new Set(SCOPES);

export const isScope = (value: string): value is Scope => KNOWN.has(value);

export const readScopeOf = (resource: ResourceName): Scope => (isRecordResource(resource) ? `read:${resource}` : REFERENCE_READ_SCOPE);

export const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);

/**
 * Scopes from a space- or comma-separated string or a list (a JWT's `scope`, `scp` or
 * `permissions` claim, a `--scopes` option). Unknown names are returned apart: a key created
 * with a typo must fail loudly, a token carrying other services' scopes need not.
 */
export function parseScopes(input: string | readonly unknown[] | undefined | null): { scopes: Set<Scope>; unknown: string[] } {
  const words = typeof input === 'string' ? input.split(/[\s,]+/) : Array.isArray(input) ? input.filter((w): w is string => typeof w === 'string') : [];
  const scopes = new Set<Scope>();
  const unknown: string[] = [];
  for (const word of words.map((w) => w.trim()).filter(Boolean)) {
    if (isScope(word)) scopes.add(word);
    else unknown.push(word);
  }
  return { scopes, unknown };
}

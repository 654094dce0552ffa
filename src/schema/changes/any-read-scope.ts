import { readScopeOf } from '../../auth/scopes.js';
import { RECORD_RESOURCE_NAMES } from '../../resources/resource-table.js';

/** `@requiresScopes` for a field any resource's read scope opens (the resolver narrows it to what the caller may read). */
export const ANY_READ_SCOPE_DIRECTIVE = `@requiresScopes(scopes: [${RECORD_RESOURCE_NAMES.map((name) => `[${JSON.stringify(readScopeOf(name))}]`).join(', ')}])`;

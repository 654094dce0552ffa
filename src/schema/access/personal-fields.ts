import { topProperty } from '../model/projection.js';
import type { QueryField } from '../model/query-fields.js';

/**
 * The personal fields of the mirrored types (a user's `email` among them): what only a caller with `read:pii` may read, filter,
 * sort or group by. `address` stands for its parts (`address.city` ...); `raw` holds all of them.
 */
export const PERSONAL_PROPERTIES: ReadonlySet<string> = new Set(['email', 'emails', 'phoneNumbers', 'address', 'socials', 'websites', 'details', 'raw']);

export const isPersonalProperty = (property: string): boolean => PERSONAL_PROPERTIES.has(topProperty(property));

export const isPersonalField = (field: QueryField): boolean => isPersonalProperty(field.path);

import { holds, type Principal } from '../../auth/principal.js';
import { readScopeOf, type Scope } from '../../auth/scopes.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName, type ResourceName } from '../../resources/resource-table.js';
import { forbidden, unauthenticated } from '../errors.js';
import { projection, type Projection } from '../model/projection.js';
import type { QueryField } from '../model/query-fields.js';
import type { ResourceModel } from '../model/resource-models.js';
import { isPersonalField, isPersonalProperty } from './personal-fields.js';

/**
 * The access rules of one request, applied where records leave the mirror: every read of a
 * resource (root fields, relations, the union, `_entities`, stats) asks `requireRead`; personal
 * fields are left out of the SQL for a caller without `read:pii` (and named in the response's
 * `extensions.masked`); filtering, sorting or grouping by a field the caller may not read is
 * refused, or a `contains` filter would turn masking into an oracle.
 */
export class Access {
  /** Type coordinates (`Person.emails`) masked in this request, for the response. */
  readonly masked = new Set<string>();
  /** Masked projections by type and selection: a nested level asks once per parent. */
  private readonly projected = new Map<string, Projection>();

  constructor(readonly principal: Principal) {}

  get readsPersonalData(): boolean {
    return holds(this.principal, 'read:pii');
  }

  /** Throws UNAUTHENTICATED for a caller without a credential, FORBIDDEN for one whose credential lacks the scope. */
  require(scope: Scope, what: string): void {
    if (holds(this.principal, scope)) return;
    if (this.principal.via === 'anonymous' || this.principal.via === 'open') {
      throw unauthenticated(`${what} needs the scope ${scope}: send ADMIN_TOKEN, or an API key or a token that holds it, as "Authorization: Bearer <...>"`);
    }
    throw forbidden(`${what} needs the scope ${scope}, which ${this.principal.subject ?? 'this credential'} does not hold`);
  }

  requireRead(resource: ResourceName, includeDeleted?: boolean | null): void {
    this.require(readScopeOf(resource), `reading ${resource}`);
    if (includeDeleted) this.require('read:deleted', 'includeDeleted');
  }

  /**
   * The resources a feed of changes (`changes`, `recordsChanged`) shows this caller: those named,
   * each of which it must be able to read (else FORBIDDEN, or UNAUTHENTICATED without a
   * credential), or when none are named every resource it may read, at least one.
   */
  readableResources(requested: readonly RecordResourceName[] | null | undefined, what: string): RecordResourceName[] {
    if (requested && requested.length > 0) {
      for (const resource of requested) this.require(readScopeOf(resource), `${what} of ${resource}`);
      return [...new Set(requested)];
    }
    const readable = RECORD_RESOURCE_NAMES.filter((resource) => holds(this.principal, readScopeOf(resource)));
    if (readable.length === 0) {
      const scopes = RECORD_RESOURCE_NAMES.map(readScopeOf).join(', ');
      if (this.principal.via === 'anonymous') throw unauthenticated(`${what} needs one of the scopes ${scopes}: send an API key or a token that holds one, as "Authorization: Bearer <...>"`);
      throw forbidden(`${what} needs one of the scopes ${scopes}, none of which ${this.principal.subject ?? 'this credential'} holds`);
    }
    return readable;
  }

  /** A filter, sort key or group key on `field` of `model`: refused when the caller may not read the field. */
  requireQueryable(model: ResourceModel, field: QueryField, use: 'filtering' | 'sorting' | 'grouping'): void {
    if (isPersonalField(field)) this.require('read:pii', `${use} by ${model.typeName}.${field.flatName}`);
  }

  /** Sorting by a field the caller may not read is refused, as filtering is. */
  requireOrder(model: ResourceModel, orderBy: readonly { field: string }[] | null | undefined): void {
    for (const item of orderBy ?? []) {
      const field = model.fieldByPath.get(item.field);
      if (field) this.requireQueryable(model, field, 'sorting');
    }
  }

  /**
   * The projection without the personal properties the caller may not read (`undefined`, all
   * columns, becomes every non-personal property), noting each one dropped as masked.
   */
  project(model: ResourceModel, selected: Projection | undefined, allProperties: readonly string[]): Projection | undefined {
    if (this.readsPersonalData) return selected;
    const key = `${model.typeName}|${selected?.key ?? '*'}`;
    const known = this.projected.get(key);
    if (known) return known;
    const properties = selected?.properties ?? allProperties;
    const kept = properties.filter((property) => !isPersonalProperty(property));
    for (const property of properties) if (isPersonalProperty(property)) this.masked.add(`${model.typeName}.${property}`);
    const result = kept.length === properties.length && selected ? selected : projection(kept);
    this.projected.set(key, result);
    return result;
  }
}

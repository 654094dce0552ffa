import { ApiKey } from './api-key.entity.js';
import { Company } from './company.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { Person } from './person.entity.js';
import { Project } from './project.entity.js';
import { SyncProbe } from './sync-probe.entity.js';
import { SyncReject } from './sync-reject.entity.js';
import { SyncRun } from './sync-run.entity.js';
import { SyncState } from './sync-state.entity.js';

export { ApiKey, Company, Opportunity, Person, Project, SyncProbe, SyncReject, SyncRun, SyncState };
export type { SyncRunMode, SyncRunStatus } from './sync-run.entity.js';
export { Address } from './address.value.js';
export { RelatedResource } from './related-resource.value.js';
export * from './list-item.values.js';
export { CrmRecord } from './crm-record.base.js';
export { mirrorFieldsOf, type FieldKind, type MirrorFieldSpec } from './mirror-column.js';

/** Every entity the DataSource knows. */
export const ALL_ENTITIES = [Person, Company, Opportunity, Project, SyncState, SyncRun, SyncReject, SyncProbe, ApiKey];

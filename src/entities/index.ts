import { ApiKey } from './api-key.entity.js';
import { ChangeLogEntry, ChangeLogHead } from './change-log.entity.js';
import { Company } from './company.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { Person } from './person.entity.js';
import { Project } from './project.entity.js';
import { SyncProbe } from './sync-probe.entity.js';
import { SyncReject } from './sync-reject.entity.js';
import { SyncRun } from './sync-run.entity.js';
import { SyncState } from './sync-state.entity.js';
import { WebhookInboxEntry } from './webhook-inbox.entity.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';
import { ContactType, CustomerSource, CustomFieldDefinition, LossReason, Pipeline, PipelineStage, User } from './reference-data.entities.js';

export { ContactType, CustomerSource, CustomFieldDefinition, LossReason, Pipeline, PipelineStage, User };
export { CustomFieldOption, CUSTOM_FIELD_DATA_TYPES } from './reference-data.entities.js';
export { MirroredRecord } from './mirrored-record.base.js';
export { ApiKey, ChangeLogEntry, ChangeLogHead, Company, Opportunity, Person, Project, SyncProbe, SyncReject, SyncRun, SyncState, WebhookInboxEntry, WebhookSubscription };
export type { ChangeKind, ChangeSource } from './change-log.entity.js';
export type { WebhookEvent } from './webhook-inbox.entity.js';
export type { SyncRunMode, SyncRunStatus } from './sync-run.entity.js';
export { Address } from './address.value.js';
export { RelatedResource } from './related-resource.value.js';
export * from './list-item.values.js';
export { CrmRecord } from './crm-record.base.js';
export { mirrorFieldsOf, type FieldKind, type MirrorFieldSpec } from './mirror-column.js';

/** Every entity the DataSource knows. */
export const ALL_ENTITIES = [Person, Company, Opportunity, Project, User, Pipeline, PipelineStage, ContactType, CustomerSource, LossReason, CustomFieldDefinition, SyncState, SyncRun, SyncReject, SyncProbe, ApiKey, ChangeLogEntry, ChangeLogHead, WebhookInboxEntry, WebhookSubscription];

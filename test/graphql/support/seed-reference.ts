import type { DataSource } from 'typeorm';
import { ContactType, CustomerSource, LossReason, Opportunity, Person, Pipeline, PipelineStage, User } from '../../../src/entities/index.js';
import { OPPORTUNITIES, PEOPLE, SYNCED_AT } from './seed.js';

/**
 * The reference data of the seed: the users, pipelines, stages and lookups its records point
 * at, with a soft-deleted user (3) and ids that point nowhere (assignee 0, stage 19), so that
 * relations, filters and group keys through them meet every case.
 */
const DELETED_AT = new Date('2026-01-02T00:00:00.000Z');

export interface SeedLookup {
  id: string;
  name: string | null;
  deletedAt: Date | null;
}
export const USERS: (SeedLookup & { email: string })[] = [
  { id: '1', name: 'Ada Lovelace', email: 'ada@example.com', deletedAt: null },
  { id: '2', name: 'Grace Hopper', email: 'grace@example.com', deletedAt: null },
  { id: '3', name: 'Alan Turing', email: 'alan@example.com', deletedAt: DELETED_AT },
];
export const PIPELINES: SeedLookup[] = [
  { id: '1', name: 'Sales', deletedAt: null },
  { id: '2', name: 'Renewals', deletedAt: null },
];
export const STAGES: (SeedLookup & { pipelineId: string })[] = [
  { id: '10', name: 'Qualified', pipelineId: '1', deletedAt: null },
  { id: '11', name: 'Negotiation', pipelineId: '1', deletedAt: null },
  { id: '12', name: 'Negotiation', pipelineId: '2', deletedAt: null },
  { id: '13', name: 'Lost stage', pipelineId: '2', deletedAt: DELETED_AT },
];
export const CONTACT_TYPES: SeedLookup[] = [
  { id: '1', name: 'Potential Customer', deletedAt: null },
  { id: '2', name: 'Current Customer', deletedAt: null },
];
export const CUSTOMER_SOURCES: SeedLookup[] = [
  { id: '1', name: 'Email', deletedAt: null },
  { id: '2', name: 'Cold Call', deletedAt: null },
];
export const LOSS_REASONS: SeedLookup[] = [{ id: '1', name: 'Price', deletedAt: null }];

/** The lookups the seed's records point at: a function of the record's position, like the seed's own fields. */
export const personContactType = (index: number): string | null => (index % 4 === 3 ? null : String(1 + (index % 2)));
export const opportunityCustomerSource = (index: number): string | null => (index % 3 === 0 ? null : String(index % 3));
export const opportunityLossReason = (status: string | null): string | null => (status === 'Lost' ? '1' : null);

const row = (lookup: SeedLookup) => ({ id: lookup.id, name: lookup.name, deletedAt: lookup.deletedAt, raw: { id: Number(lookup.id), name: lookup.name }, syncedAt: SYNCED_AT });

export async function seedReferenceData(dataSource: DataSource): Promise<void> {
  await dataSource.getRepository(User).insert(USERS.map((u) => ({ ...row(u), email: u.email })));
  await dataSource.getRepository(Pipeline).insert(PIPELINES.map(row));
  await dataSource.getRepository(PipelineStage).insert(STAGES.map((s) => ({ ...row(s), pipelineId: s.pipelineId, winProbability: 50 })));
  await dataSource.getRepository(ContactType).insert(CONTACT_TYPES.map(row));
  await dataSource.getRepository(CustomerSource).insert(CUSTOMER_SOURCES.map(row));
  await dataSource.getRepository(LossReason).insert(LOSS_REASONS.map(row));
  await dataSource.transaction(async (manager) => {
    for (const [i, person] of PEOPLE.entries()) await manager.update(Person, { id: person.id }, { contactTypeId: personContactType(i) });
    for (const [i, deal] of OPPORTUNITIES.entries()) {
      await manager.update(Opportunity, { id: deal.id }, { customerSourceId: opportunityCustomerSource(i), lossReasonId: opportunityLossReason(deal.status) });
    }
  });
}

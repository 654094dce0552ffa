import type { DataSource } from 'typeorm';
import { Company, Opportunity, Person, Project } from '../../../src/entities/index.js';
import { seedReferenceData } from './seed-reference.js';

/**
 * A small, fully known data set: ties and nulls in sort keys, ids above 2^53, dangling foreign
 * ids, soft-deleted rows, LIKE metacharacters in names. Tests compute expected answers from
 * these arrays and compare them with what the API returns.
 */
export const BIG_ID = '9007199254740993'; // 2^53 + 1: exact only as a string
export const DANGLING_COMPANY = '999';
export const DANGLING_PERSON = '9999';
export const SYNCED_AT = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1) + seconds * 1000);

const address = (city: string | null) => ({ street: null, city, state: null, postalCode: null, country: city ? 'FR' : null });

type Base = { id: string; name: string | null; dateModified: Date | null; deletedAt: Date | null; assigneeId: string | null };

export interface SeedCompany extends Base {
  interactionCount: number | null;
  city: string | null;
}
export interface SeedPerson extends Base {
  companyId: string | null;
  interactionCount: number | null;
  title: string | null;
}
export interface SeedOpportunity extends Base {
  companyId: string | null;
  primaryContactId: string | null;
  status: string | null;
  priority: string | null;
  monetaryValue: number | null;
  monetaryUnit: string | null;
  winProbability: number | null;
  closeDate: string | null;
  pipelineId: string | null;
  pipelineStageId: string | null;
}
export interface SeedProject extends Base {
  relatedId: string | null;
  relatedType: string | null;
  status: string | null;
}

export const COMPANIES: SeedCompany[] = [
  { id: '1', name: 'Acme', interactionCount: 5, city: 'Paris', dateModified: at(100), deletedAt: null, assigneeId: '1' },
  { id: '2', name: 'Globex', interactionCount: null, city: 'Berlin', dateModified: at(100), deletedAt: null, assigneeId: '2' },
  { id: '3', name: 'Initech', interactionCount: 5, city: null, dateModified: null, deletedAt: null, assigneeId: null },
  { id: '4', name: 'Umbrella 100%_off', interactionCount: 2, city: 'Paris', dateModified: at(300), deletedAt: null, assigneeId: '1' },
  { id: BIG_ID, name: 'Big Id Co', interactionCount: 0, city: 'Oslo', dateModified: at(200), deletedAt: null, assigneeId: '2' },
  { id: '6', name: null, interactionCount: 7, city: 'Paris', dateModified: null, deletedAt: null, assigneeId: null },
  { id: '7', name: 'Gone Inc', interactionCount: 1, city: 'Rome', dateModified: at(50), deletedAt: at(500), assigneeId: '1' },
];

const PERSON_COMPANIES = ['1', '2', '3', BIG_ID, DANGLING_COMPANY, null, '7', '1'];
const PERSON_NAMES = ['Ann', 'Bob', null, 'Cy', 'Ann', 'Dee', 'Bob', 'Eve', null, 'Fay'];
const TITLES = ['CEO', "O'Brien; DROP TABLE people; --", null, 'VP 50%', 'Dev_Lead'];

export const PEOPLE: SeedPerson[] = Array.from({ length: 48 }, (_, i) => ({
  id: String(101 + i),
  name: PERSON_NAMES[i % PERSON_NAMES.length],
  companyId: PERSON_COMPANIES[i % PERSON_COMPANIES.length],
  interactionCount: i % 4 === 0 ? null : i % 5,
  title: TITLES[i % TITLES.length],
  dateModified: i % 6 === 0 ? null : at(1000 + (i % 7) * 10),
  deletedAt: i === 13 || i === 27 ? at(900) : null,
  assigneeId: i % 3 === 0 ? null : String(i % 3),
}));

const STATUSES = ['Open', 'Won', 'Lost', 'Abandoned', null];
const PRIORITIES = ['None', 'Low', 'Medium', 'High'];

export const OPPORTUNITIES: SeedOpportunity[] = Array.from({ length: 36 }, (_, i) => ({
  id: String(201 + i),
  name: `Deal ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? '2' : ''}`,
  companyId: ['1', '2', BIG_ID, DANGLING_COMPANY, null, '3'][i % 6],
  primaryContactId: i % 9 === 8 ? DANGLING_PERSON : String(101 + ((i * 5) % 48)),
  status: STATUSES[i % STATUSES.length],
  priority: PRIORITIES[i % PRIORITIES.length],
  monetaryValue: i % 7 === 3 ? null : 1000 + i * 250.5,
  monetaryUnit: i % 3 === 0 ? 'EUR' : 'USD',
  winProbability: i % 8 === 5 ? null : (i * 13) % 101,
  closeDate: i % 4 === 0 ? null : `2026-0${1 + (i % 9)}-1${i % 10}`,
  pipelineId: String(1 + (i % 2)),
  pipelineStageId: String(10 + (i % 3)),
  dateModified: i % 5 === 0 ? null : at(2000 + (i % 4) * 10),
  deletedAt: i === 20 ? at(900) : null,
  assigneeId: String(i % 4),
}));

const RELATED: [string | null, string | null][] = [
  ['person', '101'],
  ['company', '1'],
  ['opportunity', '201'],
  ['company', DANGLING_COMPANY],
  [null, null],
  ['unknown', '1'],
  ['person', '114'], // soft-deleted person
  ['company', BIG_ID],
  ['opportunity', DANGLING_PERSON],
  ['person', '102'],
  ['company', '1'],
  ['opportunity', '202'],
];

export const PROJECTS: SeedProject[] = RELATED.map(([type, id], i) => ({
  id: String(301 + i),
  name: `Project ${i}`,
  relatedType: type,
  relatedId: id,
  status: i % 3 === 0 ? 'Completed' : 'Open',
  dateModified: at(3000 + (i % 3)),
  deletedAt: i === 10 ? at(900) : null,
  assigneeId: null,
}));

const common = (r: Base) => ({
  id: r.id,
  name: r.name,
  assigneeId: r.assigneeId,
  dateModified: r.dateModified,
  deletedAt: r.deletedAt,
  raw: { id: r.id, name: r.name },
  syncedAt: SYNCED_AT,
});

export async function seedDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.getRepository(Company).insert(
    COMPANIES.map((c) => ({ ...common(c), interactionCount: c.interactionCount, address: address(c.city) })),
  );
  await dataSource.getRepository(Person).insert(
    PEOPLE.map((p) => ({ ...common(p), companyId: p.companyId, interactionCount: p.interactionCount, title: p.title, address: address(null) })),
  );
  await dataSource.getRepository(Opportunity).insert(
    OPPORTUNITIES.map((o) => ({
      ...common(o),
      companyId: o.companyId,
      primaryContactId: o.primaryContactId,
      status: o.status,
      priority: o.priority,
      monetaryValue: o.monetaryValue,
      monetaryUnit: o.monetaryUnit,
      winProbability: o.winProbability,
      closeDate: o.closeDate,
      pipelineId: o.pipelineId,
      pipelineStageId: o.pipelineStageId,
    })),
  );
  await dataSource.getRepository(Project).insert(
    PROJECTS.map((p) => ({ ...common(p), status: p.status, relatedResource: { id: p.relatedId, type: p.relatedType } })),
  );
  await seedReferenceData(dataSource);
}

export const live = <T extends { deletedAt: Date | null }>(rows: readonly T[]): T[] => rows.filter((r) => r.deletedAt === null);
export const ids = (rows: readonly { id: string }[]): string[] => rows.map((r) => r.id);

import type { Rng } from './random.js';
import type { RecordHeader } from './record-header.js';
import type { ResourceName, UpstreamRecord } from './resources.js';
import {
  CATEGORIES, CURRENCIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MIDDLE_NAMES, OPPORTUNITY_STATUSES,
  OPPORTUNITY_THINGS, PLACES, PREFIXES, PRIORITIES, PROJECT_NAMES, PROJECT_STATUSES, SOCIAL_HOSTS, STREETS,
  SUFFIXES, TAGS, TITLES,
} from './vocabulary.js';
import { DATASET_END } from './record-header.js';

/**
 * Builders of plausible, contract-shaped records, one per resource. They never produce hostile
 * values (see hostile.ts); they only need to be deterministic for a given context.
 */

/** What a builder may ask about the other resources, so relations point at real records. */
export interface DatasetWorld {
  count(resource: ResourceName): number;
  idAt(resource: ResourceName, index: number): number;
  companyNameAt(index: number): string;
  /** The company a person works for (an index), or null: opportunities reuse it for their contact. */
  personCompanyIndexAt(index: number): number | null;
}

export interface BuildContext {
  index: number;
  header: RecordHeader;
  /** Same as header.createdAt: a usable creation time even when `date_created` is null (hostile). */
  createdAt: number;
  rng: Rng;
  world: DatasetWorld;
}

export type RecordBuilder = (ctx: BuildContext) => UpstreamRecord;

const DAY = 86_400;

export const RECORD_BUILDERS: Record<ResourceName, RecordBuilder> = {
  companies: buildCompany,
  people: buildPerson,
  opportunities: buildOpportunity,
  projects: buildProject,
};

function buildPerson(ctx: BuildContext): UpstreamRecord {
  const { rng, world, header } = ctx;
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const companyIndex = world.personCompanyIndexAt(ctx.index);
  const contacted = rng.chance(0.6) ? rng.int(ctx.createdAt, DATASET_END) : null;
  return {
    id: header.id,
    name: `${first} ${last}`,
    prefix: rng.chance(0.1) ? rng.pick(PREFIXES) : null,
    first_name: first,
    middle_name: rng.chance(0.2) ? rng.pick(MIDDLE_NAMES) : null,
    last_name: last,
    suffix: rng.chance(0.05) ? rng.pick(SUFFIXES) : null,
    title: rng.chance(0.8) ? rng.pick(TITLES) : null,
    company_id: companyIndex === null ? null : world.idAt('companies', companyIndex),
    company_name: companyIndex === null ? null : world.companyNameAt(companyIndex),
    contact_type_id: rng.int(1, 6),
    address: address(rng),
    emails: [{ email: `${first}.${last}${ctx.index % 1000}@${rng.pick(EMAIL_DOMAINS)}`.toLowerCase().replace(/[ ']/g, ''), category: 'work' }],
    phone_numbers: phoneNumbers(rng),
    socials: rng.chance(0.3) ? [{ url: `https://${rng.pick(SOCIAL_HOSTS)}/${first.toLowerCase()}${ctx.index}`, category: 'linkedin' }] : [],
    websites: rng.chance(0.1) ? [{ url: `https://${last.toLowerCase().replace(/[^a-z]/g, '')}.example`, category: 'personal' }] : [],
    assignee_id: assignee(rng),
    tags: tags(rng),
    details: details(rng),
    custom_fields: customFields(ctx),
    interaction_count: contacted === null ? 0 : rng.int(1, 250),
    date_last_contacted: contacted,
    leads_converted_from: leadsConvertedFrom(ctx),
    date_lead_created: rng.chance(0.3) ? ctx.createdAt - rng.int(0, 30 * DAY) : null,
    date_created: header.dateCreated,
    date_modified: header.dateModified,
  };
}

function buildCompany(ctx: BuildContext): UpstreamRecord {
  const { rng, world, header } = ctx;
  const name = world.companyNameAt(ctx.index);
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}${ctx.index % 100}.example`;
  return {
    id: header.id,
    name,
    address: address(rng),
    assignee_id: assignee(rng),
    contact_type_id: rng.int(1, 6),
    details: details(rng),
    email_domain: domain,
    phone_numbers: phoneNumbers(rng),
    socials: rng.chance(0.4) ? [{ url: `https://${rng.pick(SOCIAL_HOSTS)}/${domain}`, category: 'linkedin' }] : [],
    tags: tags(rng),
    websites: [{ url: `https://www.${domain}`, category: 'work' }],
    custom_fields: customFields(ctx),
    interaction_count: rng.int(0, 500),
    date_created: header.dateCreated,
    date_modified: header.dateModified,
  };
}

function buildOpportunity(ctx: BuildContext): UpstreamRecord {
  const { rng, world, header } = ctx;
  const people = world.count('people');
  const contactIndex = people > 0 && rng.chance(0.85) ? rng.int(0, people - 1) : null;
  let companyIndex = contactIndex === null ? null : world.personCompanyIndexAt(contactIndex);
  const companies = world.count('companies');
  if (companyIndex === null && companies > 0 && rng.chance(0.8)) companyIndex = rng.int(0, companies - 1);
  const status = rng.pick(OPPORTUNITY_STATUSES);
  const close = new Date((ctx.createdAt + rng.int(7, 180) * DAY) * 1000);
  return {
    id: header.id,
    name: `${rng.int(1, 100)} ${rng.pick(OPPORTUNITY_THINGS)}`,
    assignee_id: assignee(rng),
    close_date: `${close.getUTCMonth() + 1}/${close.getUTCDate()}/${close.getUTCFullYear()}`,
    company_id: companyIndex === null ? null : world.idAt('companies', companyIndex),
    company_name: companyIndex === null ? null : world.companyNameAt(companyIndex),
    customer_source_id: rng.chance(0.7) ? rng.int(1, 8) : null,
    details: details(rng),
    loss_reason_id: status === 'Lost' ? rng.int(1, 6) : null,
    pipeline_id: rng.int(1, 3),
    pipeline_stage_id: rng.int(10, 15),
    primary_contact_id: contactIndex === null ? null : world.idAt('people', contactIndex),
    priority: rng.pick(PRIORITIES),
    status,
    tags: tags(rng),
    interaction_count: rng.int(0, 80),
    monetary_unit: rng.pick(CURRENCIES),
    monetary_value: rng.int(1, 2_000) * 50,
    win_probability: status === 'Won' ? 100 : status === 'Open' ? rng.int(0, 10) * 10 : 0,
    date_stage_changed: rng.chance(0.7) ? rng.int(ctx.createdAt, DATASET_END) : null,
    date_last_contacted: rng.chance(0.5) ? rng.int(ctx.createdAt, DATASET_END) : null,
    leads_converted_from: leadsConvertedFrom(ctx),
    date_lead_created: rng.chance(0.2) ? ctx.createdAt - rng.int(0, 30 * DAY) : null,
    custom_fields: customFields(ctx),
    date_created: header.dateCreated,
    date_modified: header.dateModified,
  };
}

const RELATED_TYPES = [
  ['companies', 'company'],
  ['people', 'person'],
  ['opportunities', 'opportunity'],
] as const;

function buildProject(ctx: BuildContext): UpstreamRecord {
  const { rng, world, header } = ctx;
  const [resource, type] = rng.pick(RELATED_TYPES);
  const related = rng.chance(0.8) && world.count(resource) > 0
    ? { id: world.idAt(resource, rng.int(0, world.count(resource) - 1)), type }
    : null;
  return {
    id: header.id,
    name: rng.chance(0.5) ? rng.pick(PROJECT_NAMES) : `${rng.pick(PROJECT_NAMES)} #${ctx.index}`,
    related_resource: related,
    assignee_id: assignee(rng),
    status: rng.pick(PROJECT_STATUSES),
    tags: tags(rng),
    details: details(rng),
    custom_fields: customFields(ctx),
    date_created: header.dateCreated,
    date_modified: header.dateModified,
  };
}

function address(rng: Rng): UpstreamRecord | null {
  if (rng.chance(0.15)) return null;
  const place = rng.pick(PLACES);
  return {
    street: `${rng.int(1, 9_999)} ${rng.pick(STREETS)}`,
    city: place.city,
    state: place.state,
    postal_code: place.postal,
    country: place.country,
  };
}

function phoneNumbers(rng: Rng): UpstreamRecord[] {
  const count = rng.int(0, 2);
  const out: UpstreamRecord[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ number: `+1 ${rng.int(200, 999)}-555-${String(rng.int(0, 9_999)).padStart(4, '0')}`, category: rng.pick(CATEGORIES) });
  }
  return out;
}

function assignee(rng: Rng): number | null {
  return rng.chance(0.25) ? null : rng.int(1, 40);
}

function tags(rng: Rng): string[] {
  return rng.sample(TAGS, rng.chance(0.6) ? 0 : rng.int(1, 3));
}

function details(rng: Rng): string | null {
  if (rng.chance(0.5)) return null;
  return `Met at ${rng.pick(PLACES).city}. Follow up about ${rng.pick(OPPORTUNITY_THINGS).toLowerCase()}.`;
}

function leadsConvertedFrom(ctx: BuildContext): UpstreamRecord[] {
  if (!ctx.rng.chance(0.1)) return [];
  return [{ lead_id: ctx.rng.int(1, 5_000_000), converted_timestamp: ctx.createdAt }];
}

/**
 * Copper-style custom fields: each definition has a kind, and a value of that kind or null.
 * Every kind the contract names appears: text, number, checkbox, date (epoch seconds),
 * dropdown (an option id) and multi-select (an array of option ids).
 */
const CUSTOM_FIELD_DEFINITIONS: readonly { id: number; value: (ctx: BuildContext) => unknown }[] = [
  { id: 3, value: ({ rng }) => rng.pick(['Gold', 'Silver', 'Bronze', 'trial ended', 'n/a']) },
  { id: 4, value: ({ rng }) => rng.int(0, 10_000) },
  { id: 7, value: ({ rng }) => rng.chance(0.5) },
  { id: 9, value: ({ rng, createdAt }) => createdAt + rng.int(0, 365) * DAY },
  { id: 11, value: ({ rng }) => rng.int(100, 120) },
  { id: 12, value: ({ rng }) => rng.sample([8, 9, 10, 11, 12], rng.int(0, 3)) },
];

function customFields(ctx: BuildContext): UpstreamRecord[] {
  const chosen = ctx.rng.sample(CUSTOM_FIELD_DEFINITIONS, ctx.rng.int(0, 3));
  return chosen.map((definition) => ({
    custom_field_definition_id: definition.id,
    value: ctx.rng.chance(0.15) ? null : definition.value(ctx),
  }));
}

import type { Rng } from './random.js';
import type { ResourceName, UpstreamRecord } from './resources.js';
import { FOUR_BYTE_STRINGS } from './vocabulary.js';

/**
 * Hostile mode: the values real CRM data contains and naive mirrors break on. A builder makes a
 * clean record; `makeHostile` then damages a share of records with one to three traits, plus a
 * few index-based ones (huge details, very long names) that must show up even in small datasets.
 * Timestamps and ids are not touched here: the store keys on them, so record-header.ts owns them.
 */

export interface HostileContext {
  resource: ResourceName;
  index: number;
  rng: Rng;
  /** An id that no record of that resource has. */
  danglingId(resource: ResourceName): number;
}

/** Share of records that get random traits. */
const DAMAGED_SHARE = 0.3;
/** Fields hostile mode may null or drop: everything but the ones the store keys on. */
const PROTECTED_FIELDS = new Set(['id', 'date_created', 'date_modified']);

interface Trait {
  applies(record: UpstreamRecord, resource: ResourceName): boolean;
  apply(record: UpstreamRecord, ctx: HostileContext): void;
}

const has = (field: string) => (record: UpstreamRecord) => field in record;

const TRAITS: readonly Trait[] = [
  {
    // 4-byte UTF-8: emoji, math letters, CJK extension B.
    applies: has('name'),
    apply(record, { rng }) {
      record.name = `${rng.pick(FOUR_BYTE_STRINGS)} ${String(record.name)}`;
      if ('first_name' in record) record.first_name = rng.pick(FOUR_BYTE_STRINGS);
    },
  },
  {
    applies: has('details'),
    apply(record, { rng }) {
      record.details = `Notes ${rng.pick(FOUR_BYTE_STRINGS)}\n\t"quoted" \\ back\\slash ${rng.pick(FOUR_BYTE_STRINGS)} 𠜎 end`;
    },
  },
  {
    applies: () => true,
    apply(record, { rng }) {
      for (const field of rng.sample(unprotectedFields(record), rng.int(1, 4))) record[field] = null;
    },
  },
  {
    applies: () => true,
    apply(record, { rng }) {
      for (const field of rng.sample(unprotectedFields(record), rng.int(1, 4))) delete record[field];
    },
  },
  {
    // Nulls one level down, where a mapper that checks only the top level still crashes.
    applies: () => true,
    apply(record) {
      if ('address' in record) record.address = { street: null, city: 'Nowhere', state: null, postal_code: null, country: null };
      if ('emails' in record) record.emails = [{ email: null, category: null }];
      if ('phone_numbers' in record) record.phone_numbers = null;
      record.custom_fields = [{ custom_field_definition_id: 3, value: null }, { custom_field_definition_id: null, value: 'orphan' }];
    },
  },
  {
    // New fields may appear at any time: a mirror must ignore or keep them, never fail.
    applies: () => true,
    apply(record) {
      record.x_new_field = { nested: [1, 'a'] };
      record.x_flag = true;
    },
  },
  {
    applies: (_record, resource) => resource !== 'companies',
    apply(record, ctx) {
      if (ctx.resource === 'projects') {
        record.related_resource = { id: ctx.danglingId('companies'), type: 'company' };
        return;
      }
      record.company_id = ctx.danglingId('companies');
      if (ctx.resource === 'opportunities') record.primary_contact_id = ctx.danglingId('people');
    },
  },
  {
    // Wrong-typed values: what a loosely typed upstream serialiser lets through.
    applies: () => true,
    apply(record, { rng }) {
      const options: [string, unknown][] = [['tags', 'vip'], ['assignee_id', '7']];
      if ('interaction_count' in record) options.push(['interaction_count', '12']);
      if ('win_probability' in record) options.push(['win_probability', '40']);
      if ('monetary_value' in record) options.push(['monetary_value', '75000']);
      const [field, value] = rng.pick(options);
      record[field] = value;
    },
  },
  {
    // The account's locale decides the format; some users type free text.
    applies: (_record, resource) => resource === 'opportunities',
    apply(record, { rng }) {
      const day = rng.int(1, 28);
      const month = rng.int(1, 12);
      const year = rng.int(2016, 2024);
      record.close_date = rng.pick([
        `${day}/${month}/${year}`,
        `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        'next quarter',
        '',
        `${month}/${day}/${year}`,
      ]);
    },
  },
  {
    applies: (_record, resource) => resource === 'opportunities',
    apply(record, { rng }) {
      record.monetary_value = rng.int(1, 99_999_999) / 100;
    },
  },
  {
    // Every value kind the contract allows, plus shapes a strict parser rejects.
    applies: () => true,
    apply(record, { rng }) {
      record.custom_fields = [
        { custom_field_definition_id: 1, value: null },
        { custom_field_definition_id: 2, value: rng.int(-1_000, 1_000) + 0.25 },
        { custom_field_definition_id: 3, value: `text ${rng.pick(FOUR_BYTE_STRINGS)}` },
        { custom_field_definition_id: 7, value: true },
        { custom_field_definition_id: 11, value: 2 ** 33 + rng.int(0, 9) },
        { custom_field_definition_id: 12, value: [1, 2, 2 ** 32 + 5] },
        { custom_field_definition_id: 9, value: 1_700_000_000 },
        { custom_field_definition_id: 4, value: '12' },
      ];
    },
  },
  {
    applies: () => true,
    apply(record) {
      if ('name' in record) record.name = '';
      if ('first_name' in record) record.first_name = '   ';
      if ('tags' in record) record.tags = [];
    },
  },
];

/** More than 64 KB and more than 65,535 UTF-16 units: overflows a MySQL TEXT column either way. */
const HUGE_DETAILS = 'Lorem ipsum dolor sit amet 🦄 consectetur. '.repeat(1_700);
/** 300 characters: overflows VARCHAR(255). */
const LONG_NAME_PART = 'Very Long Company Name Incorporated International '.repeat(6);

/** Damages `record` in place; deterministic for a given context. */
export function makeHostile(record: UpstreamRecord, ctx: HostileContext): void {
  if (ctx.rng.chance(DAMAGED_SHARE)) {
    const applicable = TRAITS.filter((trait) => trait.applies(record, ctx.resource));
    for (const trait of ctx.rng.sample(applicable, ctx.rng.int(1, 3))) trait.apply(record, ctx);
  }
  // The id keeps each huge string distinct, so a mirror that swaps rows still gets caught.
  if (ctx.index % 1_009 === 17) record.details = `${HUGE_DETAILS}#${String(record.id)}`;
  if (ctx.index % 1_013 === 19) record.name = `${LONG_NAME_PART.slice(0, 290)} ${String(record.id)}`;
}

function unprotectedFields(record: UpstreamRecord): string[] {
  return Object.keys(record).filter((field) => !PROTECTED_FIELDS.has(field));
}

import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { Opportunity, Person, Project } from '../../src/entities/index.js';
import { parseCloseDate } from '../../src/sync/close-date.js';
import { createRecordMapper, type MirrorRow } from '../../src/sync/record-mapper.js';
import { coerceId } from '../../src/sync/value-coercions.js';

const people = createRecordMapper(Person, { closeDateFormat: 'MDY' });
const opportunities = createRecordMapper(Opportunity, { closeDateFormat: 'MDY' });
const projects = createRecordMapper(Project, { closeDateFormat: 'MDY' });

function row(mapper: typeof people, record: unknown): MirrorRow {
  const mapped = mapper(record);
  if (!mapped.ok) throw new Error(`rejected: ${mapped.reason}`);
  return mapped.row;
}

describe('record mapper', () => {
  it('maps every registered field, embedded ones included, and keeps the record as raw (same object, unknown fields too)', () => {
    const record = {
      id: 7, name: 'Taylor Lowe', first_name: 'Taylor', company_id: 2, title: 'BD',
      address: { street: '221 Main St', city: 'Vancouver', state: 'BC', postal_code: 'A1A1A1', country: 'CA' },
      emails: [{ email: 'taylor@x.com', category: 'work' }], tags: ['vip'], custom_fields: [{ custom_field_definition_id: 12, value: [8] }],
      date_created: 1516262400, date_modified: 1516312771, interaction_count: 0, x_new: { a: 1 },
    };
    const mapped = row(people, record);
    expect(mapped.raw).toBe(record);
    expect(mapped).toMatchObject({
      id: '7', name: 'Taylor Lowe', firstName: 'Taylor', companyId: '2', title: 'BD', interactionCount: 0,
      address: { street: '221 Main St', city: 'Vancouver', state: 'BC', postalCode: 'A1A1A1', country: 'CA' },
      emails: record.emails, tags: ['vip'], customFields: record.custom_fields,
      dateCreated: new Date('2018-01-18T08:00:00Z'), dateModified: new Date(1516312771 * 1000),
    });
  });

  it('sets every column, null for a missing field, so an upsert clears a stale value', () => {
    const mapped = row(people, { id: 1 });
    expect(mapped.name).toBeNull();
    expect(mapped.address).toEqual({ street: null, city: null, state: null, postalCode: null, country: null });
    expect(Object.values(mapped).filter((v) => v === undefined)).toEqual([]);
  });

  it.each([
    ['missing', {}, 'missing id'],
    ['null', { id: null }, 'not a positive integer'],
    ['text', { id: 'abc' }, '"abc"'],
    ['fractional', { id: 1.5 }, '1.5'],
    ['negative', { id: -3 }, '-3'],
    ['zero', { id: 0 }, '0'],
    ['unsafe', { id: 2 ** 53 + 2 }, 'not a positive integer'],
  ])('rejects a record whose id is %s', (_name, record, reason) => {
    const mapped = people(record);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.reason).toContain(reason);
  });

  it.each([[null], [[1, 2]], ['text'], [42]])('rejects %j: not an object', (record) => {
    const mapped = people(record);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.reason).toMatch(/^not a JSON object/);
  });

  it('takes ids as numbers or digit strings, beyond 2^53 as strings, and normalises them', () => {
    expect(coerceId(4294967297)).toBe('4294967297');
    expect(coerceId('9007199254740993')).toBe('9007199254740993');
    expect(coerceId('007')).toBe('7');
    expect(coerceId('9223372036854775808')).toBeNull(); // past BIGINT
    expect(row(people, { id: '12', assignee_id: '7', company_id: -1 })).toMatchObject({ id: '12', assigneeId: '7', companyId: null });
  });

  it('nulls wrong-typed values in their typed column', () => {
    const mapped = row(people, {
      id: 1, name: 42, tags: 'vip', interaction_count: 'many', emails: [{ email: 5 }], address: 'Main St', date_modified: 'yesterday',
      phone_numbers: null, custom_fields: [{ custom_field_definition_id: 'x', value: 1 }],
    });
    expect(mapped).toMatchObject({ name: null, tags: null, interactionCount: null, emails: null, dateModified: null, phoneNumbers: null, customFields: null });
    expect(mapped.address).toMatchObject({ street: null });
  });

  it('accepts quoted numbers for numeric kinds', () => {
    expect(row(opportunities, { id: 1, interaction_count: '12', win_probability: '40', monetary_value: '75000.5', date_stage_changed: '1516312771' })).toMatchObject({
      interactionCount: 12, winProbability: 40, monetaryValue: 75000.5, dateStageChanged: new Date(1516312771 * 1000),
    });
  });

  it('nulls integers outside INT and decimals outside DECIMAL(20,4)', () => {
    expect(row(opportunities, { id: 1, interaction_count: 2 ** 31, win_probability: 1.5, monetary_value: 1e17 })).toMatchObject({
      interactionCount: null, winProbability: null, monetaryValue: null,
    });
  });

  it('counts string length in characters: 255 emoji fit VARCHAR(255), 256 do not', () => {
    expect(row(people, { id: 1, name: '🦄'.repeat(255) }).name).toBe('🦄'.repeat(255));
    expect(row(people, { id: 1, name: '🦄'.repeat(256) }).name).toBeNull();
    const details = 'x'.repeat(100_000);
    expect(row(people, { id: 1, details }).details).toBe(details);
  });

  it('reads epoch seconds as UTC, drops fractions, and never guesses milliseconds', () => {
    expect(row(people, { id: 1, date_modified: 1516312771.9 }).dateModified).toEqual(new Date(1516312771000));
    expect(row(people, { id: 1, date_modified: 1516312771000 }).dateModified).toBeNull();
    expect(row(people, { id: 1, date_modified: -1 }).dateModified).toEqual(new Date(-1000));
  });

  it('flattens related_resource and nulls a non-object one', () => {
    expect(row(projects, { id: 1, related_resource: { id: 2, type: 'company' } }).relatedResource).toEqual({ id: '2', type: 'company' });
    expect(row(projects, { id: 1, related_resource: null }).relatedResource).toEqual({ id: null, type: null });
  });

  it('keeps close_date as text beside the parsed date', () => {
    expect(row(opportunities, { id: 1, close_date: '1/15/2018' })).toMatchObject({ closeDate: '2018-01-15', closeDateRaw: '1/15/2018' });
    expect(row(opportunities, { id: 1, close_date: 'next quarter' })).toMatchObject({ closeDate: null, closeDateRaw: 'next quarter' });
  });
});

describe('close_date parsing', () => {
  it.each([
    ['1/15/2018', 'MDY', '2018-01-15'],
    ['15/1/2018', 'MDY', null],
    ['15/1/2018', 'DMY', '2018-01-15'],
    ['3/4/2020', 'MDY', '2020-03-04'],
    ['3/4/2020', 'DMY', '2020-04-03'],
    ['2018-01-15', 'MDY', '2018-01-15'],
    ['2018-01-15', 'ISO', '2018-01-15'],
    ['1/15/2018', 'ISO', null],
    ['2/30/2020', 'MDY', null],
    ['2/29/2020', 'MDY', '2020-02-29'],
    ['2/29/2019', 'MDY', null],
    ['2019-13-01', 'ISO', null],
    ['1/15/18', 'MDY', null],
    ['', 'MDY', null],
    ['next quarter', 'DMY', null],
  ] as const)('%j with %s → %s', (text, format, expected) => {
    expect(parseCloseDate(text, format)).toBe(expected);
  });

  it('never throws on a non-string', () => {
    expect(parseCloseDate(20180115, 'MDY')).toBeNull();
    expect(parseCloseDate(null, 'MDY')).toBeNull();
  });
});

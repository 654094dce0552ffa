import { describe, expect, it } from 'vitest';
import {
  BIG_ID_BASE, SIMULATED_RESOURCES, TIE_BLOCK_SIZE, UpstreamStore, generateDataset, type ResourceName, type UpstreamRecord,
} from '../../src/simulator/index.js';

const all = (records: number, options: { hostile?: boolean; rejects?: boolean; seed?: number } = {}) => {
  const dataset = generateDataset({ records, seed: options.seed ?? 7, hostile: options.hostile, rejects: options.rejects });
  return Object.fromEntries(SIMULATED_RESOURCES.map((r) => [r, [...dataset.resource(r).records()]])) as Record<ResourceName, UpstreamRecord[]>;
};

describe('generated dataset', () => {
  it('is identical for the same seed and different for another seed', () => {
    expect(JSON.stringify(all(600, { hostile: true }))).toBe(JSON.stringify(all(600, { hostile: true })));
    expect(JSON.stringify(all(600, { seed: 8 }))).not.toBe(JSON.stringify(all(600)));
  });

  it('splits records 15/45/25/15 across companies, people, opportunities and projects', () => {
    const dataset = generateDataset({ records: 10_000, seed: 1 });
    expect(SIMULATED_RESOURCES.map((r) => dataset.count(r))).toEqual([1_500, 4_500, 2_500, 1_500]);
  });

  it('gives unique positive integer ids per resource and timestamps with created <= modified', () => {
    const data = all(4_000);
    for (const resource of SIMULATED_RESOURCES) {
      const ids = data[resource].map((r) => r.id as number);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
      for (const record of data[resource]) expect(record.date_created as number).toBeLessThanOrEqual(record.date_modified as number);
    }
  });

  it('points relations at existing records', () => {
    const data = all(4_000);
    const ids = (r: ResourceName) => new Set(data[r].map((record) => record.id));
    const companies = ids('companies');
    const people = ids('people');
    const byType: Record<string, Set<unknown>> = { company: companies, person: people, opportunity: ids('opportunities') };
    const personCompanies = data.people.map((p) => p.company_id).filter((id) => id !== null);
    expect(personCompanies.length).toBeGreaterThan(data.people.length * 0.8);
    expect(personCompanies.every((id) => companies.has(id))).toBe(true);
    for (const opportunity of data.opportunities) {
      if (opportunity.company_id !== null) expect(companies.has(opportunity.company_id)).toBe(true);
      if (opportunity.primary_contact_id !== null) expect(people.has(opportunity.primary_contact_id)).toBe(true);
    }
    const related = data.projects.map((p) => p.related_resource as { id: number; type: string } | null);
    expect(new Set(related.filter(Boolean).map((r) => r!.type))).toEqual(new Set(['company', 'person', 'opportunity']));
    expect(related.some((r) => r === null)).toBe(true);
    expect(related.every((r) => r === null || byType[r.type].has(r.id))).toBe(true);
  });

  it('has a block of more than 450 records sharing one date_modified in every resource of 1,000+ records', () => {
    const data = all(8_000);
    for (const resource of SIMULATED_RESOURCES) {
      const perInstant = new Map<unknown, number>();
      for (const record of data[resource]) perInstant.set(record.date_modified, (perInstant.get(record.date_modified) ?? 0) + 1);
      expect(Math.max(...perInstant.values())).toBeGreaterThanOrEqual(TIE_BLOCK_SIZE);
    }
  });

  it('keeps clean data clean: no emoji, nulls only where natural, close_date as M/D/YYYY', () => {
    const data = all(2_000);
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/[\u{10000}-\u{10FFFF}]/u);
    expect(text).not.toContain('x_new_field');
    expect(data.opportunities.every((o) => /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(o.close_date as string))).toBe(true);
    expect(data.people.every((p) => typeof p.date_modified === 'number' && typeof p.name === 'string')).toBe(true);
  });

  it('puts every kind of hostile value in a hostile dataset', () => {
    const data = all(5_000, { hostile: true });
    const records = SIMULATED_RESOURCES.flatMap((r) => data[r]);
    const text = JSON.stringify(data);
    expect(text).toMatch(/[\u{10000}-\u{10FFFF}]/u);
    expect(records.some((r) => typeof r.details === 'string' && r.details.length > 65_535 && Buffer.byteLength(r.details) > 70_000)).toBe(true);
    expect(records.some((r) => typeof r.name === 'string' && r.name.length > 255)).toBe(true);
    expect(records.some((r) => (r.id as number) > BIG_ID_BASE && Number.isSafeInteger(r.id))).toBe(true);
    expect(records.some((r) => r.date_modified === null)).toBe(true);
    expect(records.some((r) => !('date_modified' in r))).toBe(true);
    expect(records.some((r) => !('name' in r))).toBe(true);
    expect(records.some((r) => r.name === null)).toBe(true);
    expect(records.some((r) => JSON.stringify(r.x_new_field) === '{"nested":[1,"a"]}')).toBe(true);
    expect(records.some((r) => r.interaction_count === '12' || r.tags === 'vip')).toBe(true);
    const people = new Set(data.people.map((p) => p.id));
    const companies = new Set(data.companies.map((c) => c.id));
    expect(data.people.some((p) => typeof p.company_id === 'number' && !companies.has(p.company_id))).toBe(true);
    expect(data.opportunities.some((o) => typeof o.primary_contact_id === 'number' && !people.has(o.primary_contact_id))).toBe(true);
    const closeDates = data.opportunities.map((o) => o.close_date);
    expect(closeDates).toContain('next quarter');
    expect(closeDates.some((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    expect(closeDates.some((d) => typeof d === 'string' && /^(1[3-9]|2\d)\/\d{1,2}\/\d{4}$/.test(d))).toBe(true);
    expect(data.opportunities.some((o) => typeof o.monetary_value === 'number' && !Number.isInteger(o.monetary_value))).toBe(true);
    const customValues = records.flatMap((r) => (Array.isArray(r.custom_fields) ? r.custom_fields : [])).map((f: { value: unknown }) => f.value);
    const kinds = new Set(customValues.map((v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v)));
    expect(kinds).toEqual(new Set(['null', 'number', 'string', 'boolean', 'array']));
  });

  it('adds records without a usable id only when rejects are asked for', () => {
    expect(all(400).people.every((p) => typeof p.id === 'number')).toBe(true);
    const people = all(400, { rejects: true }).people;
    expect(people.filter((p) => !('id' in p))).toHaveLength(1);
    expect(people.filter((p) => p.id === 'abc')).toHaveLength(1);
  });

  it('builds a store of a million hostile records in a few seconds', () => {
    const started = performance.now();
    const store = new UpstreamStore({ records: 1_000_000, seed: 3, hostile: true });
    const page = store.search('people', { page_number: 50, page_size: 200, sort_by: 'date_modified', sort_direction: 'asc' });
    expect(page.records).toHaveLength(200);
    expect(store.count('people')).toBe(450_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

import { describe, expect, it } from 'vitest';
import { generateDataset, TIE_BLOCK_SIZE, TIE_INSTANT, UpstreamStore, type UpstreamRecord } from '../../src/simulator/index.js';
import { crawl } from './search-reference.js';

const inTie = (records: UpstreamRecord[]) => records.filter((r) => r.date_modified === TIE_INSTANT);

describe('data shapes a sync must survive', () => {
  it('gives exactly the asked number of null cursors, half null and half missing, spread through the data', () => {
    const dataset = generateDataset({ records: 10_000, seed: 6, nullCursors: { people: 450, projects: 7 }, tieBlock: { people: 0 } });
    const people = [...dataset.resource('people').records()];
    const blank = people.map((r, index) => ({ index, r })).filter(({ r }) => typeof r.date_modified !== 'number');
    expect(blank).toHaveLength(450);
    expect(blank.filter(({ r }) => r.date_modified === null)).toHaveLength(225);
    expect(blank.filter(({ r }) => !('date_modified' in r))).toHaveLength(225);
    const tenths = new Set(blank.map(({ index }) => Math.floor((index * 10) / people.length)));
    expect(tenths.size).toBe(10);
    const projects = [...dataset.resource('projects').records()];
    expect(projects.filter((r) => r.date_modified === null)).toHaveLength(4);
    expect(projects.filter((r) => !('date_modified' in r))).toHaveLength(3);
    expect([...dataset.resource('companies').records()].every((r) => typeof r.date_modified === 'number')).toBe(true);
  });

  it('keeps null cursors out of the tie block and out of any search with a positive minimum', () => {
    const store = new UpstreamStore({ records: 10_000, seed: 6, nullCursors: { people: 450 } });
    const people = store.liveRecords('people');
    expect(inTie(people)).toHaveLength(TIE_BLOCK_SIZE);
    expect(crawl((q) => store.search('people', q), { minimum_modified_date: 1 })).toHaveLength(people.length - 450);
    const first = store.search('people', { page_number: 1, page_size: 200, sort_direction: 'asc', sort_by: 'date_modified' }).records;
    expect(first.filter((r) => typeof r.date_modified !== 'number')).toHaveLength(200);
  });

  it('sizes the tie block per resource: larger, none, in a small resource, or clamped to the resource', () => {
    const dataset = generateDataset({ records: 10_000, seed: 6, counts: { projects: 300 }, tieBlock: { people: 1_200, companies: 0, projects: 120, opportunities: 99_999 } });
    const records = (resource: 'people' | 'companies' | 'projects' | 'opportunities') => [...dataset.resource(resource).records()];
    expect(inTie(records('people'))).toHaveLength(1_200);
    expect(inTie(records('companies'))).toHaveLength(0);
    expect(inTie(records('projects'))).toHaveLength(120);
    expect(inTie(records('opportunities'))).toHaveLength(dataset.count('opportunities'));
    expect(dataset.resource('people').tieBlockSize).toBe(1_200);
    for (const resource of ['people', 'projects'] as const) {
      for (const r of records(resource)) expect(r.date_created as number).toBeLessThanOrEqual(r.date_modified as number);
    }
  });

  it('spreads the tie block over creation dates unless it shares date_created too, like a bulk import', () => {
    const spread = inTie([...generateDataset({ records: 10_000, seed: 6, tieBlock: { people: 1_200 } }).resource('people').records()]);
    expect(new Set(spread.map((r) => r.date_created)).size).toBeGreaterThan(1_000);
    const shared = inTie([...generateDataset({ records: 10_000, seed: 6, tieBlock: { people: 1_200 }, tieBlockSharesCreated: true }).resource('people').records()]);
    expect(shared).toHaveLength(1_200);
    expect(shared.every((r) => r.date_created === TIE_INSTANT)).toBe(true);
    const store = new UpstreamStore({ records: 10_000, seed: 6, tieBlock: { people: 1_200 }, tieBlockSharesCreated: true });
    const narrowed = store.search('people', { page_number: 1, page_size: 200, sort_direction: 'asc', minimum_created_date: TIE_INSTANT, maximum_created_date: TIE_INSTANT });
    expect(narrowed.matched).toBe(1_200);
  });

  it('refuses impossible shapes with a message naming the resource and the option', () => {
    expect(() => generateDataset({ records: 1_000, seed: 6, nullCursors: { projects: 10_000 } })).toThrow(/projects: nullCursors must be an integer from 0 to 150 .*got 10000/);
    expect(() => generateDataset({ records: 1_000, seed: 6, tieBlock: { people: -1 } })).toThrow(/people: tieBlock must be a non-negative integer, got -1/);
    expect(() => generateDataset({ records: 1_000, seed: 6, nullCursors: { leads: 3 } as never })).toThrow(/nullCursors: unknown resource "leads"/);
  });
});

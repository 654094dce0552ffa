import { describe, expect, it } from 'vitest';
import { BadSearchError, MAX_IDS, parseSearchQuery, UpstreamStore } from '../../src/simulator/index.js';
import { dataOf, search } from './http.js';
import { crawl, honestResult, idsOf, query } from './search-reference.js';
import { startSimulator } from '../../src/simulator/index.js';

const store = new UpstreamStore({ records: 4_000, seed: 3 });
const people = store.liveRecords('people');
const byPeople = (q: Parameters<UpstreamStore['search']>[1]) => store.search('people', q);
const modifiedAt = (i: number) => [...people].sort((a, b) => (a.date_modified as number) - (b.date_modified as number))[i].date_modified as number;
const createdAt = (i: number) => [...people].sort((a, b) => (a.date_created as number) - (b.date_created as number))[i].date_created as number;

describe('search filters (honest behaviour)', () => {
  it('bounds date_modified inclusively from both sides', () => {
    const [min, max] = [modifiedAt(300), modifiedAt(900)];
    const found = crawl(byPeople, { minimum_modified_date: min, maximum_modified_date: max });
    expect(idsOf(found)).toEqual(idsOf(honestResult(people, { minimum_modified_date: min, maximum_modified_date: max })));
    expect(found[0].date_modified).toBe(min);
    expect(found.at(-1)!.date_modified).toBe(max);
  });

  it('bounds date_created inclusively, sorted by date_created or by another field', () => {
    const bounds = { minimum_created_date: createdAt(250), maximum_created_date: createdAt(1_400) };
    for (const sort of [{ sort_by: 'date_created' }, { sort_by: 'date_created', sort_direction: 'desc' as const }, {}, { sort_by: 'name', sort_direction: 'desc' as const }]) {
      const q = { ...bounds, ...sort };
      expect(idsOf(crawl(byPeople, q))).toEqual(idsOf(honestResult(people, q)));
    }
  });

  it('combines the modified and created ranges', () => {
    const q = { minimum_modified_date: modifiedAt(500), maximum_created_date: createdAt(1_500), sort_direction: 'desc' as const };
    const found = crawl(byPeople, q);
    expect(found.length).toBeGreaterThan(100);
    expect(idsOf(found)).toEqual(idsOf(honestResult(people, q)));
  });

  it('sorts a null or missing date_created first, and leaves it out of every range filter (a maximum of 0, a minimum below 0)', () => {
    const hostile = new UpstreamStore({ records: 6_000, seed: 3, hostile: true });
    const all = hostile.liveRecords('people');
    const blank = all.filter((r) => typeof r.date_created !== 'number');
    expect(blank.length).toBeGreaterThan(2);
    const search = (q: Parameters<UpstreamStore['search']>[1]) => hostile.search('people', q);
    expect(crawl(search, { maximum_created_date: 0 })).toEqual([]);
    expect(crawl(search, { minimum_created_date: -1 })).toHaveLength(all.length - blank.length);
    expect(crawl(search, { minimum_created_date: 1 })).toHaveLength(all.length - blank.length);
    expect(crawl(search, { sort_by: 'date_created', minimum_created_date: -5, maximum_created_date: 4_000_000_000 })).toHaveLength(all.length - blank.length);
    expect(crawl(search, { sort_by: 'date_created' }).slice(0, blank.length).every((r) => typeof r.date_created !== 'number')).toBe(true);
  });

  it('ids returns only the live records among them, once each, in the sort order of the search', () => {
    const local = new UpstreamStore({ records: 4_000, seed: 3 });
    const some = local.liveRecords('people').slice(100, 110);
    local.remove('people', some[3].id as number);
    const ids = [...some.map((r) => r.id as number), some[0].id as number, 999_999_999];
    const found = local.search('people', query({ ids, sort_by: 'date_created', sort_direction: 'desc' })).records;
    expect(idsOf(found)).toEqual(idsOf(honestResult(some.filter((_, i) => i !== 3), { sort_by: 'date_created', sort_direction: 'desc' })));
    expect(local.search('people', query({ ids: [] })).records).toEqual([]);
    const narrowed = local.search('people', query({ ids, minimum_modified_date: some[5].date_modified as number })).records;
    expect(narrowed.every((r) => (r.date_modified as number) >= (some[5].date_modified as number))).toBe(true);
    expect(narrowed.length).toBeLessThan(9);
  });

  it('pages through ids like any search', () => {
    const ids = people.slice(0, 50).map((r) => r.id as number);
    const pages = [1, 2, 3].map((page_number) => store.search('people', query({ ids, page_size: 20, page_number })).records.length);
    expect(pages).toEqual([20, 20, 10]);
  });

  it.each([
    ['more than 200 ids', { ids: Array.from({ length: MAX_IDS + 1 }, (_, i) => i + 1) }, /at most 200/],
    ['ids that are not an array', { ids: 7 }, /ids must be an array/],
    ['an id that is text', { ids: [1, '2'] }, /integer record ids, got "2"/],
    ['a text maximum_modified_date', { maximum_modified_date: 'now' }, /maximum_modified_date must be epoch seconds/],
    ['a text minimum_created_date', { minimum_created_date: '2024' }, /minimum_created_date must be epoch seconds/],
    ['an infinite maximum_created_date', { maximum_created_date: Number.POSITIVE_INFINITY }, /maximum_created_date/],
  ])('refuses %s with a message naming the field', (_name, body, message) => {
    expect(() => parseSearchQuery(body, 'people')).toThrow(BadSearchError);
    expect(() => parseSearchQuery(body, 'people')).toThrow(message);
  });

  it('answers 400 over HTTP for too many ids and 200 for exactly 200', async () => {
    const sim = await startSimulator({ records: 1_000, seed: 3 });
    try {
      const ids = sim.store.liveIds('people').slice(0, MAX_IDS) as number[];
      expect(dataOf(await search(sim, 'people', { page_size: 200, ids }))).toHaveLength(MAX_IDS);
      const tooMany = await search(sim, 'people', { ids: [...ids, 1] });
      expect(tooMany.status).toBe(400);
      expect((tooMany.json as { message: string }).message).toContain('ids');
    } finally {
      await sim.close();
    }
  });
});

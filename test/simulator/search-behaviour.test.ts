import { describe, expect, it } from 'vitest';
import {
  BadSearchError, HONEST_BEHAVIOUR, SIMULATED_RESOURCES, TIE_INSTANT, UpstreamStore,
  type ResourceName, type SearchBehaviour, type SearchQuery, type StoreOptions, type UpstreamRecord,
} from '../../src/simulator/index.js';
import { compareValues } from '../../src/simulator/sorted-index.js';
import { crawl, idsOf, keyOf, query } from './search-reference.js';

const CAP = 1_000;
const storeWith = (options: StoreOptions = {}) => new UpstreamStore({ records: 8_000, seed: 4 }, { cap: CAP, ...options });
const median = (records: UpstreamRecord[], field: string) => records.map((r) => r[field] as number).sort((a, b) => a - b)[records.length >> 1];

/**
 * What a client can find out about a resource with a few requests: the sync's probe, done the
 * slow and obvious way. Each finding reads one setting back, so a test can compare it with the
 * behaviour the store was given.
 */
function observe(store: UpstreamStore, resource: ResourceName): SearchBehaviour {
  const all = store.liveRecords(resource);
  const search = (q: Partial<SearchQuery>) => store.search(resource, query(q)).records;
  const minModified = median(all, 'date_modified');
  const minCreated = median(all, 'date_created');
  const newestCreated = Math.max(...all.map((r) => r.date_created as number));
  const tie = { sort_by: 'date_modified', minimum_modified_date: TIE_INSTANT, maximum_modified_date: TIE_INSTANT };
  let pastCap: SearchBehaviour['pastCap'];
  try {
    pastCap = search({ page_number: CAP / 200 + 1 }).length === 0 ? 'empty' : 'error';
  } catch (error) {
    if (!(error instanceof BadSearchError)) throw error;
    pastCap = 'error';
  }
  return {
    modifiedFilter: search({ minimum_modified_date: minModified }).every((r) => (r.date_modified as number) >= minModified),
    createdFilter: search({ minimum_created_date: minCreated }).every((r) => (r.date_created as number) >= minCreated),
    idsFilter: search({ ids: idsOf(all.slice(0, 3)) as number[] }).length === 3,
    sort: search({ sort_by: 'date_created', sort_direction: 'desc', page_size: 1 })[0].date_created === newestCreated ? 'honoured' : 'ignored',
    unstableTies: JSON.stringify(idsOf(search(tie))) !== JSON.stringify(idsOf(search(tie))),
    pastCap,
  };
}

const UNKIND: Partial<SearchBehaviour>[] = [
  { modifiedFilter: false }, { createdFilter: false }, { idsFilter: false }, { sort: 'ignored' }, { unstableTies: true }, { pastCap: 'empty' },
];

/** Keys of a crawl never decrease (or increase, descending) whatever the order within ties. */
function expectOrdered(records: UpstreamRecord[], field: string, descending = false): void {
  for (let i = 1; i < records.length; i++) {
    const step = compareValues(keyOf(records[i - 1], field), keyOf(records[i], field));
    expect(descending ? step >= 0 : step <= 0, `${field} out of order at ${i}`).toBe(true);
  }
}

describe('search behaviour per resource', () => {
  it('is honest for every resource unless asked otherwise, and the probe reads that back', () => {
    const store = storeWith();
    for (const resource of SIMULATED_RESOURCES) {
      expect(store.behaviourOf(resource)).toEqual(HONEST_BEHAVIOUR);
      expect(observe(store, resource)).toEqual(HONEST_BEHAVIOUR);
    }
  });

  it.each(UNKIND.map((change) => [JSON.stringify(change), change] as const))('switches %s on one resource and leaves the other three honest', (_name, change) => {
    for (const resource of SIMULATED_RESOURCES) {
      const store = storeWith({ behaviour: { [resource]: change } });
      for (const other of SIMULATED_RESOURCES) {
        expect(observe(store, other), `${other} with ${resource} changed`).toEqual(other === resource ? { ...HONEST_BEHAVIOUR, ...change } : HONEST_BEHAVIOUR);
      }
    }
  });

  it('gives the copper profile its table, with per-resource overrides on top', () => {
    const store = storeWith({ profile: 'copper', behaviour: { projects: { pastCap: 'empty' } } });
    const copper = { ...HONEST_BEHAVIOUR, unstableTies: true };
    const expected: Record<ResourceName, SearchBehaviour> = {
      people: { ...copper, modifiedFilter: false },
      companies: { ...copper, modifiedFilter: false },
      opportunities: copper,
      projects: { ...copper, pastCap: 'empty' },
    };
    for (const resource of SIMULATED_RESOURCES) {
      expect(store.behaviourOf(resource)).toEqual(expected[resource]);
      expect(observe(store, resource)).toEqual(expected[resource]);
    }
  });

  it('an ignored modified filter returns records older than the minimum', () => {
    const store = storeWith({ profile: 'copper' });
    const minimum = median(store.liveRecords('people'), 'date_modified');
    const people = store.search('people', query({ sort_by: 'date_modified', minimum_modified_date: minimum })).records;
    expect(people.some((r) => (r.date_modified as number) < minimum)).toBe(true);
    expect(crawl((q) => store.search('people', q), { sort_by: 'date_modified', minimum_modified_date: minimum }, CAP)).toHaveLength(CAP);
    const opportunities = store.search('opportunities', query({ minimum_modified_date: minimum })).records;
    expect(opportunities.every((r) => (r.date_modified as number) >= minimum)).toBe(true);
  });

  it('an ignored created filter and ignored ids return everything', () => {
    const store = storeWith({ behaviour: { companies: { createdFilter: false, idsFilter: false } } });
    const companies = store.liveRecords('companies');
    const maximum = median(companies, 'date_created');
    expect(store.search('companies', query({ maximum_created_date: maximum, sort_by: 'date_created', sort_direction: 'desc' })).records.some((r) => (r.date_created as number) > maximum)).toBe(true);
    expect(store.search('companies', query({ ids: [companies[0].id as number] })).matched).toBe(companies.length);
    expect(store.search('people', query({ ids: [store.liveIds('people')[0] as number] })).matched).toBe(1);
  });

  it('an ignored sort serves the default order: people by first_name, the others by name, ascending', () => {
    const store = storeWith({ behaviour: Object.fromEntries(SIMULATED_RESOURCES.map((r) => [r, { sort: 'ignored' as const }])) });
    for (const resource of SIMULATED_RESOURCES) {
      const field = resource === 'people' ? 'first_name' : 'name';
      const records = store.search(resource, query({ sort_by: 'date_modified', sort_direction: 'desc' })).records;
      expectOrdered(records, field);
      for (let i = 1; i < records.length; i++) {
        if (records[i - 1][field] === records[i][field]) expect(records[i - 1].id as number).toBeLessThan(records[i].id as number);
      }
      expect(records[0][field]).not.toBe(records.at(-1)![field]);
    }
  });

  it('without sort_by the honest profile keeps date_modified and the copper profile the default order', () => {
    const honest = storeWith();
    expectOrdered(honest.search('people', query({ page_size: 200 })).records, 'date_modified');
    const copper = storeWith({ profile: 'copper' });
    expectOrdered(crawl((q) => copper.search('people', q), {}, CAP), 'first_name');
    expectOrdered(copper.search('projects', query({ sort_direction: 'desc' })).records, 'name', true);
    expectOrdered(copper.search('projects', query({ sort_by: 'date_created' })).records, 'date_created');
  });

  it('two identical requests order a tie differently, yet return the same records', () => {
    const store = storeWith({ behaviour: { people: { unstableTies: true } } });
    const tie = query({ sort_by: 'date_modified', minimum_modified_date: TIE_INSTANT, maximum_modified_date: TIE_INSTANT, page_size: 200 });
    const small = new UpstreamStore({ records: 8_000, seed: 4, tieBlock: { people: 150 } }, { behaviour: { people: { unstableTies: true } } });
    const [a, b] = [small.search('people', tie).records, small.search('people', tie).records];
    expect(a).toHaveLength(150);
    expect(idsOf(a)).not.toEqual(idsOf(b));
    expect(new Set(idsOf(a))).toEqual(new Set(idsOf(b)));
    const stable = storeWith();
    expect(idsOf(stable.search('people', tie).records)).toEqual(idsOf(stable.search('people', tie).records));
    // Paging by page number through an unstable tie deeper than a page skips some and repeats others.
    const paged = crawl((q) => store.search('people', q), { ...tie, page_number: 1 });
    expect(paged).toHaveLength(500);
    expect(new Set(idsOf(paged)).size).toBeLessThan(500);
  });

  it('unstable ties never break the order between different keys, in either direction and on any field', () => {
    const store = storeWith({ profile: 'copper' });
    const search = (q: SearchQuery) => store.search('opportunities', q);
    for (const [field, direction] of [['date_modified', 'asc'], ['date_modified', 'desc'], ['name', 'asc'], ['status', 'desc'], ['date_created', 'desc']] as const) {
      const records = crawl(search, { sort_by: field, sort_direction: direction, minimum_modified_date: 0 }, CAP);
      expect(records).toHaveLength(CAP);
      expectOrdered(records, field, direction === 'desc');
    }
    const narrowed = crawl(search, { sort_by: 'date_modified', minimum_modified_date: TIE_INSTANT - 86_400 * 30, maximum_created_date: TIE_INSTANT }, CAP);
    expectOrdered(narrowed, 'date_modified');
    expect(narrowed.every((r) => (r.date_created as number) <= TIE_INSTANT && (r.date_modified as number) >= TIE_INSTANT - 86_400 * 30)).toBe(true);
  });

  it('unstable ties keep the cap, the paging and the ordering of records moved by mutations', () => {
    const store = storeWith({ behaviour: { people: { unstableTies: true } } });
    const search = (q: SearchQuery) => store.search('people', q);
    expect(search(query({ page_number: 3, page_size: 450 })).records).toHaveLength(CAP - 2 * 450);
    expect(() => search(query({ page_number: 6 }))).toThrow(BadSearchError);
    const victims = store.liveRecords('people').slice(0, 5);
    for (const victim of victims) store.modify('people', victim.id as number, { name: 'same', date_modified: 1 });
    store.remove('people', store.liveRecords('people')[10].id as number);
    const created = store.create('people');
    const first = search(query({ sort_by: 'date_modified', page_size: 5 })).records;
    expect(new Set(idsOf(first))).toEqual(new Set(idsOf(victims)));
    const newest = search(query({ sort_by: 'date_modified', sort_direction: 'desc', page_size: 1 })).records;
    expect(newest[0].id).toBe(created.id);
    expect(crawl(search, { minimum_modified_date: 2 }, CAP)).toHaveLength(CAP);
    expect(crawl(search, { minimum_modified_date: TIE_INSTANT }, CAP).length).toBe(store.liveRecords('people').filter((r) => (r.date_modified as number) >= TIE_INSTANT).length);
  });

  it('past the cap the copper profile answers 400, and an empty behaviour an empty page with the count still right', () => {
    const store = storeWith({ profile: 'copper', behaviour: { companies: { pastCap: 'empty' } } });
    expect(() => store.search('people', query({ page_number: 6 }))).toThrow(/at most 1000 records/);
    const past = store.search('companies', query({ page_number: 6 }));
    expect(past.records).toEqual([]);
    expect(past.matched).toBe(store.count('companies'));
    expect(store.search('companies', query({ page_number: 5 })).records).toHaveLength(200);
  });

  it('setBehaviour changes the next search mid-run, one resource at a time, and refuses a bad setting', () => {
    const store = storeWith();
    const minimum = median(store.liveRecords('projects'), 'date_modified');
    const matched = (resource: ResourceName) => store.search(resource, query({ minimum_modified_date: minimum })).matched;
    const before = matched('projects');
    store.setBehaviour('projects', { modifiedFilter: false });
    expect(matched('projects')).toBe(store.count('projects'));
    expect(store.behaviourOf('projects')).toEqual({ ...HONEST_BEHAVIOUR, modifiedFilter: false });
    expect(store.behaviourOf('companies')).toEqual(HONEST_BEHAVIOUR);
    store.setBehaviour('projects', { modifiedFilter: true });
    expect(matched('projects')).toBe(before);
    expect(() => store.setBehaviour('projects', { sort: 'sideways' } as never)).toThrow(/sort must be "honoured" or "ignored", got "sideways"/);
    expect(() => store.setBehaviour('projects', { colour: 'red' } as never)).toThrow(/unknown behaviour setting "colour"/);
    expect(() => storeWith({ behaviour: { leads: {} } as never })).toThrow(/behaviour: unknown resource "leads"/);
  });
});

describe('search speed with behaviours', () => {
  it('answers deep pages of a 100,000-record resource quickly, sorted either way, with unstable ties', () => {
    const store = new UpstreamStore({ records: 250_000, seed: 5 }, { profile: 'copper' });
    expect(store.count('people')).toBeGreaterThan(100_000);
    const at = (q: Partial<SearchQuery>) => store.search('people', query(q));
    at({ sort_by: 'date_created' }); // builds the date_created index once
    const started = performance.now();
    for (let page = 1; page <= 50; page++) {
      at({ sort_by: 'date_modified', page_number: page * 9 });
      at({ sort_by: 'date_modified', sort_direction: 'desc', page_number: page * 9 });
      at({ sort_by: 'date_created', minimum_created_date: 1_600_000_000, page_number: page });
    }
    // Building the 30,000 records served dominates; re-sorting per search would cost seconds more.
    expect(performance.now() - started).toBeLessThan(4_000);
  });
});

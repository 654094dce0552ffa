import { describe, expect, it } from 'vitest';
import { BadSearchError, UpstreamStore, type SearchQuery, type UpstreamRecord } from '../../src/simulator/index.js';

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  page_number: 1, page_size: 200, sort_by: 'date_modified', sort_direction: 'asc', ...overrides,
});

/** Every record a client gets by paging from page 1 until a short page. */
function crawl(store: UpstreamStore, resource: 'people' | 'companies', base: Partial<SearchQuery> = {}): UpstreamRecord[] {
  const out: UpstreamRecord[] = [];
  for (let page = 1; ; page++) {
    const { records } = store.search(resource, query({ ...base, page_number: page }));
    out.push(...records);
    if (records.length < (base.page_size ?? 200)) return out;
  }
}

const keyOf = (r: UpstreamRecord) => [typeof r.date_modified === 'number' ? r.date_modified : 0, r.id as number];
const inOrder = (a: UpstreamRecord, b: UpstreamRecord) => keyOf(a)[0] - keyOf(b)[0] || keyOf(a)[1] - keyOf(b)[1];

describe('upstream store', () => {
  it('pages through every record by date_modified, ties broken by id ascending', () => {
    const store = new UpstreamStore({ records: 3_000, seed: 2 });
    const records = crawl(store, 'people');
    expect(records.map((r) => r.id)).toEqual(store.liveRecords('people').map((r) => r.id));
    expect(records).toEqual([...records].sort(inOrder));
    expect(new Set(records.map((r) => r.id)).size).toBe(store.count('people'));
  });

  it('filters on minimum_modified_date inclusively', () => {
    const store = new UpstreamStore({ records: 3_000, seed: 2 });
    const all = store.liveRecords('people');
    const pivot = all[700].date_modified as number;
    const found = crawl(store, 'people', { minimum_modified_date: pivot });
    expect(found.map((r) => r.id)).toEqual(all.filter((r) => (r.date_modified as number) >= pivot).map((r) => r.id));
    expect(found[0].date_modified).toBe(pivot);
  });

  it('counts a null or missing date_modified as 0: first in order, excluded by any positive minimum', () => {
    const store = new UpstreamStore({ records: 3_000, seed: 2, hostile: true });
    const first = store.search('people', query({ page_size: 5 })).records;
    expect(first.some((r) => r.date_modified === null || !('date_modified' in r))).toBe(true);
    const filtered = crawl(store, 'people', { minimum_modified_date: 1 });
    expect(filtered.every((r) => typeof r.date_modified === 'number')).toBe(true);
    expect(filtered.length).toBeLessThan(store.count('people'));
  });

  it('sorts by other fields and descending, ties still by id ascending', () => {
    const store = new UpstreamStore({ records: 2_000, seed: 2 });
    const byName = crawl(store, 'companies', { sort_by: 'name' });
    for (let i = 1; i < byName.length; i++) {
      const [a, b] = [byName[i - 1], byName[i]];
      expect(a.name! <= b.name!).toBe(true);
      if (a.name === b.name) expect(a.id as number).toBeLessThan(b.id as number);
    }
    const desc = crawl(store, 'companies', { sort_direction: 'desc' });
    for (let i = 1; i < desc.length; i++) {
      const [a, b] = [desc[i - 1], desc[i]];
      expect(a.date_modified as number).toBeGreaterThanOrEqual(b.date_modified as number);
      if (a.date_modified === b.date_modified) expect(a.id as number).toBeLessThan(b.id as number);
    }
  });

  it('refuses pages starting at the cap and cuts a page straddling it', () => {
    const store = new UpstreamStore({ records: 3_000, seed: 2 }, { cap: 500 });
    expect(store.search('people', query({ page_number: 3 })).records).toHaveLength(100);
    expect(() => store.search('people', query({ page_number: 4 }))).toThrow(BadSearchError);
    expect(() => store.search('people', query({ page_number: 6, page_size: 100 }))).toThrow(/at most 500/);
    const narrowed = store.search('people', query({ page_number: 1, minimum_modified_date: store.liveRecords('people')[500].date_modified as number }));
    expect(narrowed.records).toHaveLength(200);
  });

  it('gives a modified record a date_modified later than all others so it sorts last', () => {
    let now = 1_000; // a clock far in the past: the store must still move the record to the end
    const store = new UpstreamStore({ records: 2_000, seed: 2 }, { clock: () => now });
    const victim = store.liveRecords('people')[10];
    const first = store.modify('people', victim.id as number)!;
    const second = store.modify('people', store.liveRecords('people')[0].id as number)!;
    const live = store.liveRecords('people');
    expect(live.at(-2)).toEqual(first);
    expect(live.at(-1)).toEqual(second);
    expect(second.date_modified).toBe((first.date_modified as number) + 1);
    expect(first.name).toMatch(/\(rev 1\)$/);
    now = 5_000_000_000;
    expect(store.modify('people', victim.id as number)!.date_modified).toBe(5_000_000_000);
  });

  it('uses the clock as is when strictlyLatest is off, and an explicit date_modified when given', () => {
    const store = new UpstreamStore({ records: 2_000, seed: 2 }, { clock: () => 1_000, strictlyLatest: false });
    const [a, b] = store.liveRecords('companies');
    expect(store.modify('companies', a.id as number)!.date_modified).toBe(1_000);
    expect(store.modify('companies', b.id as number, { name: 'X', date_modified: 1_234 })).toMatchObject({ name: 'X', date_modified: 1_234 });
    expect(store.liveRecords('companies').slice(0, 2).map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it('removes, creates and puts records, and liveRecords reflects each change', () => {
    const store = new UpstreamStore({ records: 2_000, seed: 2 });
    const before = store.liveRecords('projects');
    expect(store.remove('projects', before[5].id as number)).toBe(true);
    expect(store.remove('projects', before[5].id as number)).toBe(false);
    const created = store.create('projects', { status: 'Open' });
    expect(created.id).toBe(Math.max(...before.map((r) => r.id as number)) + 1);
    store.put('projects', { id: 99_999_999, name: 'Put', date_modified: 5 });
    store.put('projects', { ...before[5], name: 'Back' });
    const after = store.liveRecords('projects');
    expect(after).toHaveLength(before.length + 2);
    expect(after[0]).toEqual({ id: 99_999_999, name: 'Put', date_modified: 5 });
    expect(after.at(-1)).toEqual(created);
    expect(after.find((r) => r.id === before[5].id)?.name).toBe('Back');
    expect(crawl(store, 'companies').length).toBe(store.count('companies'));
  });

  it('hands out deep copies from liveRecords and get', () => {
    const store = new UpstreamStore({ records: 200, seed: 2 });
    const id = store.create('people').id as number;
    const copy = store.get('people', id)!;
    (copy.emails as unknown[]).push('tampered');
    store.liveRecords('people').at(-1)!.name = 'tampered';
    expect(store.get('people', id)).not.toEqual(copy);
    expect(store.get('people', id)!.name).not.toBe('tampered');
  });
});

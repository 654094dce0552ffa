import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { sortLike, type SortSpec } from './support/ordering.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import { COMPANIES, ids, live, OPPORTUNITIES, PEOPLE, type SeedCompany, type SeedOpportunity, type SeedPerson } from './support/seed.js';

interface Page {
  nodes: { id: string }[];
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

type Case = { list: string; orderBy: string; expected: () => string[] };
const cases: Case[] = [
  { list: 'people', orderBy: '[{ field: NAME }]', expected: () => ids(sortLike(live(PEOPLE), [[(p: SeedPerson) => p.name, 'ASC']])) },
  { list: 'people', orderBy: '[{ field: NAME, direction: DESC }]', expected: () => ids(sortLike(live(PEOPLE), [[(p: SeedPerson) => p.name, 'DESC']])) },
  {
    list: 'people',
    orderBy: '[{ field: DATE_MODIFIED, direction: DESC }, { field: INTERACTION_COUNT }]',
    expected: () => ids(sortLike(live(PEOPLE), [[(p: SeedPerson) => p.dateModified, 'DESC'], [(p: SeedPerson) => p.interactionCount, 'ASC']])),
  },
  {
    list: 'people',
    orderBy: '[{ field: INTERACTION_COUNT, direction: DESC }, { field: NAME }, { field: ID, direction: DESC }]',
    expected: () =>
      ids(sortLike(live(PEOPLE), [[(p: SeedPerson) => p.interactionCount, 'DESC'], [(p: SeedPerson) => p.name, 'ASC'], [(p: SeedPerson) => -Number(p.id), 'ASC']])),
  },
  { list: 'opportunities', orderBy: '[{ field: MONETARY_VALUE, direction: DESC }]', expected: () => ids(sortLike(live(OPPORTUNITIES), [[(o: SeedOpportunity) => o.monetaryValue, 'DESC']])) },
  { list: 'opportunities', orderBy: '[{ field: CLOSE_DATE }, { field: STATUS, direction: DESC }]', expected: () => ids(sortLike(live(OPPORTUNITIES), [[(o: SeedOpportunity) => o.closeDate, 'ASC'], [(o: SeedOpportunity) => o.status, 'DESC']])) },
  { list: 'companies', orderBy: '[{ field: ADDRESS_CITY, direction: DESC }]', expected: () => ids(sortLike(live(COMPANIES), [[(c: SeedCompany) => c.city, 'DESC']])) },
  { list: 'companies', orderBy: '[{ field: ID, direction: DESC }]', expected: () => ids(sortLike(live(COMPANIES), [[(c: SeedCompany) => BigInt(c.id) > 2n ** 53n ? Number.MAX_SAFE_INTEGER : Number(c.id), 'DESC'] as SortSpec<SeedCompany>])) },
];

describe.each(DIALECTS)('connections on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  const page = async (list: string, orderBy: string, args: string): Promise<Page> =>
    dataOf<Record<string, Page>>(
      await h.gql(`{ ${list}(orderBy: ${orderBy}${args}) { nodes { id } edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`),
    )[list];

  describe.each(cases)('$list ordered by $orderBy', ({ list, orderBy, expected }) => {
    it('is sorted with nulls lowest and id as the tie-breaker', async () => {
      expect(ids((await page(list, orderBy, ', first: 500')).nodes)).toEqual(expected());
    });

    it.each([1, 3, 7])('walks forward %i at a time, each record exactly once', async (size) => {
      const seen: string[] = [];
      let after = '';
      for (let guard = 0; guard < 100; guard++) {
        const p = await page(list, orderBy, `, first: ${size}${after}`);
        seen.push(...ids(p.nodes));
        expect(p.pageInfo.hasPreviousPage).toBe(after !== '');
        if (!p.pageInfo.hasNextPage) break;
        expect(p.nodes).toHaveLength(size);
        after = `, after: "${p.pageInfo.endCursor}"`;
      }
      expect(seen).toEqual(expected());
    });

    it.each([1, 4])('walks backward %i at a time, each record exactly once', async (size) => {
      const seen: string[] = [];
      let before = '';
      for (let guard = 0; guard < 100; guard++) {
        const p = await page(list, orderBy, `, last: ${size}${before}`);
        seen.unshift(...ids(p.nodes));
        expect(p.pageInfo.hasNextPage).toBe(before !== '');
        if (!p.pageInfo.hasPreviousPage) break;
        before = `, before: "${p.pageInfo.startCursor}"`;
      }
      expect(seen).toEqual(expected());
    });
  });

  it('pages between two cursors, and the edge cursors match the page cursors', async () => {
    const all = await page('people', '[{ field: NAME }]', ', first: 500');
    const order = ids(all.nodes);
    const [a, b] = [all.edges[3].cursor, all.edges[12].cursor];
    const between = await page('people', '[{ field: NAME }]', `, first: 500, after: "${a}", before: "${b}"`);
    expect(ids(between.nodes)).toEqual(order.slice(4, 12));
    expect(between.pageInfo.startCursor).toBe(all.edges[4].cursor);
    expect(between.pageInfo.endCursor).toBe(all.edges[11].cursor);
  });

  it('pages the same way inside a to-many relation, per parent', async () => {
    const first = dataOf<{ company: { people: Page } }>(
      await h.gql('{ company(id: "1") { people(first: 2, orderBy: [{ field: NAME }]) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } } }'),
    ).company.people;
    const rest = dataOf<{ company: { people: Page } }>(
      await h.gql(`{ company(id: "1") { people(first: 500, after: "${first.pageInfo.endCursor}", orderBy: [{ field: NAME }]) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } } }`),
    ).company.people;
    const expected = ids(sortLike(live(PEOPLE.filter((p) => p.companyId === '1')), [[(p: SeedPerson) => p.name, 'ASC']]));
    expect([...ids(first.nodes), ...ids(rest.nodes)]).toEqual(expected);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('returns an empty page with first: 0, still telling whether there is more', async () => {
    const p = await page('people', '[{ field: NAME }]', ', first: 0');
    expect(p.nodes).toEqual([]);
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
  });

  it('rejects bad paging arguments with BAD_USER_INPUT', async () => {
    const cursor = (await page('people', '[{ field: NAME }]', ', first: 1')).pageInfo.endCursor!;
    const attempts: [string, RegExp][] = [
      ['{ people(first: 10000) { nodes { id } } }', /10000 exceeds the maximum page size of 500/],
      ['{ people(last: 501) { nodes { id } } }', /501 exceeds the maximum page size of 500/],
      ['{ people(first: -1) { nodes { id } } }', /must not be negative/],
      ['{ people(first: 1, last: 1) { nodes { id } } }', /not both/],
      ['{ people(after: "bm90IGEgY3Vyc29y") { nodes { id } } }', /not a cursor/],
      ['{ people(after: "%%%") { nodes { id } } }', /not a cursor/],
      [`{ people(after: "${cursor}", orderBy: [{ field: TITLE }]) { nodes { id } } }`, /different orderBy/],
      [`{ companies(after: "${cursor}") { nodes { id } } }`, /different orderBy|not a cursor/],
    ];
    for (const [query, message] of attempts) {
      const response = await h.gql(query);
      expect(response.status, query).toBe(response.body.data === undefined ? 400 : 200);
      expect(response.body.errors?.[0].message, query).toMatch(message);
      expect(response.body.errors?.[0].extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('uses the default page size of 50 (config) when neither first nor last is given', async () => {
    const h2 = dataOf<{ people: { nodes: unknown[] } }>(await h.gql('{ people(includeDeleted: true) { nodes { id } } }'));
    expect(h2.people.nodes).toHaveLength(Math.min(50, PEOPLE.length));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Company } from '../../src/entities/index.js';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';

const nested = (companies: number, people: number) =>
  `{ companies(first: ${companies}) { nodes { people(first: ${people}) { nodes { opportunities { nodes { company { name } } } } } } } }`;

type Result = { companies: { nodes: { people: { nodes: { opportunities: { nodes: { company: { name: string } | null }[] } }[] } }[] } };

/**
 * The statements a query costs are a function of its depth, whatever the page sizes: on the
 * loaders one per level (plus one per selected totalCount level), on the compiled SQL path
 * (MariaDB) one in all.
 */
const PATHS = [
  ...DIALECTS.map((dialect) => ({ dialect, path: 'loaders' as const, nested: 4, withCounts: 6 })),
  { dialect: 'mysql' as const, path: 'compiled' as const, nested: 1, withCounts: 1 },
];

describe.each(PATHS)('SQL statements per request on $dialect, $path (no N+1)', ({ dialect, path, nested: NESTED_QUERY_STATEMENTS, withCounts }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { GRAPHQL_SQL_COMPILE: path === 'compiled' ? 'auto' : 'off' } });
  });
  afterAll(async () => h?.close());

  const statementsFor = async (query: string) => {
    h.sql.reset();
    const data = dataOf<Result>(await h.gql(query));
    return { statements: [...h.sql.statements], data };
  };

  it(`runs ${NESTED_QUERY_STATEMENTS} statement(s) for companies > people > opportunities > company, at any page size`, async () => {
    const counts: number[] = [];
    for (const [companies, people] of [[50, 20], [5, 2], [1, 1], [500, 500]]) {
      const { statements, data } = await statementsFor(nested(companies, people));
      counts.push(statements.length);
      if (companies === 50) {
        const opportunities = data.companies.nodes.flatMap((c) => c.people.nodes.flatMap((p) => p.opportunities.nodes));
        expect(opportunities.length, 'the query reaches real rows at every level').toBeGreaterThan(3);
        expect(opportunities.some((o) => o.company?.name)).toBe(true);
        // The page of 20 people and no more: no hasNextPage is asked, so the row after it is not read.
        const perParentLimits = path === 'compiled' ? /JSON_ARRAYAGG\(.* ORDER BY .* LIMIT 20\)/ : /ROW_NUMBER\(\) OVER \(PARTITION BY/;
        expect(statements.filter((s) => perParentLimits.test(s)), 'per-parent limits in SQL').toHaveLength(path === 'compiled' ? 1 : 2);
      }
    }
    expect(counts).toEqual(counts.map(() => NESTED_QUERY_STATEMENTS));
  });

  it('adds one statement per selected totalCount level, not per parent', async () => {
    const { statements } = await statementsFor(
      '{ companies(first: 50) { totalCount nodes { people(first: 20) { totalCount nodes { opportunities { totalCount nodes { id } } } } } } }',
    );
    expect(statements).toHaveLength(withCounts);
  });

  it('never shares loaders between requests', async () => {
    const before = await statementsFor('{ company(id: "1") { name } }');
    await h.dataSource.getRepository(Company).update({ id: '1' }, { name: 'Acme Renamed' });
    const after = await statementsFor('{ company(id: "1") { name } }');
    expect(before.statements).toHaveLength(1);
    expect(after.statements).toHaveLength(1);
    expect((after.data as unknown as { company: { name: string } }).company.name).toBe('Acme Renamed');
    await h.dataSource.getRepository(Company).update({ id: '1' }, { name: 'Acme' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import { COMPANIES, live, OPPORTUNITIES, PEOPLE, PROJECTS, type SeedOpportunity } from './support/seed.js';

interface Stats {
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
}
interface Group {
  key: Record<string, string | number | null>;
  count: number;
  monetaryValue?: Stats;
  winProbability?: Stats;
}

function statsOf(values: (number | null)[]): Stats {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return { sum: null, avg: null, min: null, max: null };
  const sum = present.reduce((a, b) => a + b, 0);
  return { sum, avg: sum / present.length, min: Math.min(...present), max: Math.max(...present) };
}

/** Groups of seed rows by the given fields, as `{ key, count, ... }` sorted by key for comparison. */
function groupsOf<T>(rows: T[], fields: (keyof T & string)[]): { key: string; rows: T[] }[] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = JSON.stringify(fields.map((f) => row[f] ?? null));
    map.set(key, [...(map.get(key) ?? []), row]);
  }
  return [...map.entries()].map(([key, grouped]) => ({ key, rows: grouped })).sort((a, b) => a.key.localeCompare(b.key));
}

const expectStats = (actual: Stats, expected: Stats) => {
  for (const k of ['sum', 'avg', 'min', 'max'] as const) {
    if (expected[k] === null) expect(actual[k], k).toBeNull();
    else expect(actual[k], k).toBeCloseTo(expected[k]!, 6);
  }
};

describe.each(DIALECTS)('aggregates on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  it.each([
    [['STATUS'], ['status']],
    [['STATUS', 'PRIORITY'], ['status', 'priority']],
    [['MONETARY_UNIT', 'PIPELINE_ID'], ['monetaryUnit', 'pipelineId']],
    [['COMPANY_ID'], ['companyId']],
    [['PIPELINE_STAGE_ID', 'ASSIGNEE_ID'], ['pipelineStageId', 'assigneeId']],
  ] as [string[], (keyof SeedOpportunity & string)[]][])('opportunityStats grouped by %j match the numbers computed here', async (groupBy, fields) => {
    const data = dataOf<{ opportunityStats: Group[] }>(
      await h.gql(`{ opportunityStats(groupBy: [${groupBy.join(', ')}]) {
        key { ${fields.join(' ')} } count
        monetaryValue { sum avg min max } winProbability { sum avg min max } } }`),
    );
    const expected = groupsOf(live(OPPORTUNITIES), fields);
    const actual = [...data.opportunityStats].sort((a, b) =>
      JSON.stringify(fields.map((f) => a.key[f])).localeCompare(JSON.stringify(fields.map((f) => b.key[f]))),
    );
    expect(actual.map((g) => JSON.stringify(fields.map((f) => g.key[f])))).toEqual(expected.map((g) => g.key));
    actual.forEach((group, i) => {
      expect(group.count).toBe(expected[i].rows.length);
      expectStats(group.monetaryValue!, statsOf(expected[i].rows.map((r) => r.monetaryValue)));
      expectStats(group.winProbability!, statsOf(expected[i].rows.map((r) => r.winProbability)));
    });
    const counts = data.opportunityStats.map((g) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('opportunityStats without groupBy is one group of everything matching where; keys not grouped are null', async () => {
    const data = dataOf<{ all: Group[]; usd: Group[] }>(
      await h.gql(`{ all: opportunityStats { key { status } count monetaryValue { sum avg min max } }
        usd: opportunityStats(where: { monetaryUnit: { eq: "USD" } }, includeDeleted: true) { count monetaryValue { sum max } } }`),
    );
    expect(data.all).toHaveLength(1);
    expect(data.all[0].key).toEqual({ status: null });
    expect(data.all[0].count).toBe(live(OPPORTUNITIES).length);
    expectStats(data.all[0].monetaryValue!, statsOf(live(OPPORTUNITIES).map((o) => o.monetaryValue)));
    const usd = OPPORTUNITIES.filter((o) => o.monetaryUnit === 'USD');
    expect(data.usd[0].count).toBe(usd.length);
    expect(data.usd[0].monetaryValue!.sum).toBeCloseTo(statsOf(usd.map((o) => o.monetaryValue)).sum!, 6);
  });

  it('counts people, companies and projects per group, with where and first', async () => {
    const data = dataOf<{ personStats: Group[]; companyStats: Group[]; projectStats: Group[]; top: Group[]; empty: Group[] }>(
      await h.gql(`{
        personStats(groupBy: [COMPANY_ID], where: { name: { isNull: false } }) { key { companyId } count }
        companyStats(groupBy: [ADDRESS_CITY]) { key { addressCity } count }
        projectStats(groupBy: [RELATED_RESOURCE_TYPE, STATUS]) { key { relatedResourceType status } count }
        top: personStats(groupBy: [NAME], first: 2) { key { name } count }
        empty: personStats(where: { name: { eq: "nobody" } }) { count }
      }`),
    );
    const named = live(PEOPLE).filter((p) => p.name !== null);
    const byCompany = groupsOf(named, ['companyId']);
    expect(data.personStats.map((g) => [g.key.companyId, g.count]).sort()).toEqual(byCompany.map((g) => [g.rows[0].companyId, g.rows.length]).sort());
    expect(data.companyStats.map((g) => [g.key.addressCity, g.count]).sort()).toEqual(
      groupsOf(live(COMPANIES), ['city']).map((g) => [g.rows[0].city, g.rows.length]).sort(),
    );
    expect(data.projectStats.map((g) => [g.key.relatedResourceType, g.key.status, g.count]).sort()).toEqual(
      groupsOf(live(PROJECTS), ['relatedType', 'status']).map((g) => [g.rows[0].relatedType, g.rows[0].status, g.rows.length]).sort(),
    );
    const byName = groupsOf(live(PEOPLE), ['name']).map((g) => g.rows.length).sort((a, b) => b - a);
    expect(data.top.map((g) => g.count)).toEqual(byName.slice(0, 2));
    expect(data.empty).toEqual([{ count: 0 }]);
  });

  it('rejects first above the maximum', async () => {
    const response = await h.gql('{ opportunityStats(first: 501) { count } }');
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

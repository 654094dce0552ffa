import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../src/auth/principal.js';
import { createReadPool } from '../../src/db/read-pool.js';
import { Opportunity } from '../../src/entities/index.js';
import { Access } from '../../src/schema/access/access.js';
import { fetchStats } from '../../src/schema/data/stats.query.js';
import { fullStatsSelection, STATS_AGGREGATES, type StatsAggregate, type StatsSelection } from '../../src/schema/model/stats-selection.js';
import { resourceModel } from '../../src/schema/model/resource-models.js';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import { live, OPPORTUNITIES } from './support/seed.js';

type Aggregates = Partial<Record<StatsAggregate, number | null>>;
type Group = { key: Record<string, string | null>; count?: number } & Record<string, unknown>;

const NUMERIC = ['monetaryValue', 'winProbability', 'interactionCount'] as const;
const COLUMN: Record<(typeof NUMERIC)[number], string> = { monetaryValue: 'monetary_value', winProbability: 'win_probability', interactionCount: 'interaction_count' };
const FULL = `count ${NUMERIC.map((f) => `${f} { sum avg min max }`).join(' ')}`;

/** The SQL aggregates over a column that a statement computes: `SUM`, `COUNT`, `MIN`, `MAX`. */
function aggregatesOver(statement: string, column: string): string[] {
  const found = [...statement.matchAll(new RegExp(`(SUM|COUNT|MIN|MAX|AVG)\\([\`"]t[\`"]\\.[\`"]${column}[\`"]\\)`, 'g'))].map((m) => m[1]);
  return found.sort();
}

describe.each(DIALECTS)('stats compute only what was asked, on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  /** The response and the one stats statement it ran. */
  const statsQuery = async (query: string, variables?: Record<string, unknown>) => {
    h.sql.reset();
    const data = dataOf<Record<string, Group[]>>(await h.gql(query, variables));
    const statements = h.sql.statements.filter((s) => /FROM [`"]opportunities[`"]/.test(s));
    expect(statements, 'one statement per stats field').toHaveLength(Object.keys(data).length);
    return { data, statement: statements[0] };
  };
  const byKey = (groups: Group[]) => new Map(groups.map((g) => [JSON.stringify(g.key), g]));

  let full: Map<string, Group>;
  beforeAll(async () => {
    full = byKey((await statsQuery(`{ s: opportunityStats(groupBy: [STATUS]) { key { status } ${FULL} } }`)).data.s);
  });

  it('computes every aggregate for the full selection', async () => {
    const { statement } = await statsQuery(`{ s: opportunityStats(groupBy: [STATUS]) { key { status } ${FULL} } }`);
    for (const f of NUMERIC) expect(aggregatesOver(statement, COLUMN[f]), f).toEqual(['COUNT', 'MAX', 'MIN', 'SUM']);
  });

  it('count and one sum: the same numbers as the full selection, and only SUM of that column in SQL', async () => {
    const { data, statement } = await statsQuery('{ s: opportunityStats(groupBy: [STATUS]) { key { status } count monetaryValue { sum } } }');
    expect(data.s.map((g) => JSON.stringify(g.key))).toEqual([...full.keys()]);
    for (const group of data.s) {
      const expected = full.get(JSON.stringify(group.key))!;
      expect(group.count).toBe(expected.count);
      expect(group.monetaryValue).toEqual({ sum: (expected.monetaryValue as Aggregates).sum });
    }
    expect(aggregatesOver(statement, 'monetary_value')).toEqual(['SUM']);
    expect(aggregatesOver(statement, 'win_probability')).toEqual([]);
    expect(aggregatesOver(statement, 'interaction_count')).toEqual([]);
    expect(statement).not.toMatch(/\b(MIN|MAX|AVG)\(/);
  });

  it('the benchmark selection: SUM, COUNT, MIN, MAX of the value and SUM, COUNT of the probability, nothing else', async () => {
    const { data, statement } = await statsQuery(
      '{ s: opportunityStats(groupBy: [STATUS]) { key { status } count monetaryValue { sum avg min max } winProbability { avg } } }',
    );
    expect(aggregatesOver(statement, 'monetary_value')).toEqual(['COUNT', 'MAX', 'MIN', 'SUM']);
    expect(aggregatesOver(statement, 'win_probability')).toEqual(['COUNT', 'SUM']);
    expect(aggregatesOver(statement, 'interaction_count')).toEqual([]);
    for (const group of data.s) {
      const expected = full.get(JSON.stringify(group.key))!;
      expect(group.monetaryValue).toEqual(expected.monetaryValue);
      expect(group.winProbability).toEqual({ avg: (expected.winProbability as Aggregates).avg });
    }
  });

  it('resolves aliases, fragments, @include and @skip with the request variables', async () => {
    const query = `query Q($withMin: Boolean!, $skipAvg: Boolean!) {
      s: opportunityStats(groupBy: [STATUS]) {
        key { status }
        total: count
        a: monetaryValue { total: sum }
        b: monetaryValue { max ...MinIf }
        ...Probability
        ... on OpportunityStats { interactionCount { __typename } }
      }
    }
    fragment MinIf on NumericStats { min @include(if: $withMin) }
    fragment Probability on OpportunityStats { winProbability { max avg @skip(if: $skipAvg) } }`;

    const first = await statsQuery(query, { withMin: true, skipAvg: true });
    expect(aggregatesOver(first.statement, 'monetary_value')).toEqual(['MAX', 'MIN', 'SUM']);
    expect(aggregatesOver(first.statement, 'win_probability')).toEqual(['MAX']);
    expect(aggregatesOver(first.statement, 'interaction_count')).toEqual([]);
    for (const group of first.data.s) {
      const expected = full.get(JSON.stringify(group.key))!;
      const value = expected.monetaryValue as Aggregates;
      expect(group.total).toBe(expected.count);
      expect(group.a).toEqual({ total: value.sum });
      expect(group.b).toEqual({ max: value.max, min: value.min });
      expect(group.winProbability).toEqual({ max: (expected.winProbability as Aggregates).max });
      expect(group.interactionCount).toEqual({ __typename: 'NumericStats' });
    }

    // The same document (compiled once by graphql-jit) with the other variables.
    const second = await statsQuery(query, { withMin: false, skipAvg: false });
    expect(aggregatesOver(second.statement, 'monetary_value')).toEqual(['MAX', 'SUM']);
    expect(aggregatesOver(second.statement, 'win_probability')).toEqual(['COUNT', 'MAX', 'SUM']);
    for (const group of second.data.s) {
      const expected = full.get(JSON.stringify(group.key))!;
      expect(group.b).toEqual({ max: (expected.monetaryValue as Aggregates).max });
      expect(group.winProbability).toEqual({ max: (expected.winProbability as Aggregates).max, avg: (expected.winProbability as Aggregates).avg });
    }
  });

  it('avg is the exact sum / count, not the rounded AVG() of MySQL', async () => {
    const { data, statement } = await statsQuery('{ s: opportunityStats(groupBy: [STATUS]) { key { status } winProbability { avg } monetaryValue { avg } } }');
    expect(statement).not.toMatch(/AVG\(/);
    let finerThanAvg = 0;
    for (const group of data.s) {
      const rows = live(OPPORTUNITIES).filter((o) => o.status === group.key.status);
      for (const f of ['winProbability', 'monetaryValue'] as const) {
        const present = rows.map((o) => o[f]).filter((v): v is number => v !== null);
        const expected = present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
        const avg = (group[f] as Aggregates).avg;
        expect(avg, `${f} of ${group.key.status}`).toBe(expected);
        // MySQL's AVG keeps 4 decimals more than the column: an integer's average would be rounded to 4.
        if (typeof avg === 'number' && f === 'winProbability' && Math.abs(avg * 1e4 - Math.round(avg * 1e4)) > 1e-6) finerThanAvg++;
      }
    }
    expect(finerThanAvg, 'some average has more than 4 decimals, so rounding would show').toBeGreaterThan(0);
  });

  it('random subsets of aggregates give the values of the full statement, and only their SQL aggregates', async () => {
    const subset = fc.subarray([...STATS_AGGREGATES]);
    const selection = fc.record({
      count: fc.boolean(),
      fields: fc.record({ monetaryValue: fc.option(subset, { nil: undefined }), winProbability: fc.option(subset, { nil: undefined }), interactionCount: fc.option(subset, { nil: undefined }) }),
    });
    await fc.assert(
      fc.asyncProperty(selection, async ({ count, fields }) => {
        const parts = NUMERIC.flatMap((f) => (fields[f] ? [`${f} { __typename ${fields[f].join(' ')} }`] : []));
        const { data, statement } = await statsQuery(`{ s: opportunityStats(groupBy: [STATUS]) { key { status } ${count ? 'count' : ''} ${parts.join(' ')} } }`);
        expect(data.s.map((g) => JSON.stringify(g.key))).toEqual([...full.keys()]);
        for (const group of data.s) {
          const expected = full.get(JSON.stringify(group.key))!;
          if (count) expect(group.count).toBe(expected.count);
          for (const f of NUMERIC) {
            const asked = fields[f];
            if (!asked) {
              expect(group[f]).toBeUndefined();
              continue;
            }
            const all = expected[f] as Aggregates;
            expect(group[f]).toEqual({ __typename: 'NumericStats', ...Object.fromEntries(asked.map((a) => [a, all[a]])) });
          }
        }
        for (const f of NUMERIC) {
          const asked = new Set(fields[f] ?? []);
          const sql = [
            ...(asked.has('avg') ? ['COUNT'] : []),
            ...(asked.has('max') ? ['MAX'] : []),
            ...(asked.has('min') ? ['MIN'] : []),
            ...(asked.has('sum') || asked.has('avg') ? ['SUM'] : []),
          ];
          expect(aggregatesOver(statement, COLUMN[f]), f).toEqual(sql);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('fetchStats takes a selection computed without GraphQL; undefined means everything; an unknown field is refused', async () => {
    const db = { dataSource: h.dataSource, pool: createReadPool(h.dataSource, h.config.reads), access: new Access(ADMIN) };
    const limits = { defaultPageSize: 100, maxPageSize: 500 };
    const args = { groupBy: ['status'], includeDeleted: false };
    try {
      const everything = await fetchStats(db, 'opportunities', args, limits);
      expect(everything).toEqual(await fetchStats(db, 'opportunities', args, limits, fullStatsSelection(resourceModel('opportunities'))));
      const wanted: StatsSelection = { count: false, fields: new Map([['winProbability', new Set<StatsAggregate>(['min'])]]) };
      const some = await fetchStats(db, 'opportunities', args, limits, wanted);
      expect(some).toEqual(everything.map((g) => ({ key: g.key, count: g.count, winProbability: { min: (g.winProbability as Aggregates).min } })));
      await expect(fetchStats(db, 'opportunities', args, limits, { count: true, fields: new Map([['status', new Set<StatsAggregate>(['sum'])]]) })).rejects.toThrow(
        /no numeric field status/,
      );
    } finally {
      await db.pool.close();
    }
  });

  it.runIf(dialect === 'mysql')('ignores the deleted_at index unless an index holds every column the statement reads', async () => {
    const indices = h.dataSource.getMetadata(Opportunity).indices;
    const name = (columns: string[]) => indices.find((i) => i.columns.map((c) => c.databaseName).join() === columns.join())!.name!;
    const deletedAt = name(['deleted_at']);
    const covering = name(['deleted_at', 'status', 'monetary_value', 'win_probability']);
    const hinted = async (query: string) => /IGNORE INDEX \(([^)]*)\)/.exec((await statsQuery(query)).statement)?.[1] ?? '';

    // The benchmark's selection: the covering index is the way in, deleted_at alone is not.
    const bench = await hinted('{ s: opportunityStats(groupBy: [STATUS]) { key { status } count monetaryValue { sum avg min max } winProbability { avg } } }');
    expect(bench).toBe(`\`${deletedAt}\``);
    // A column the covering index lacks, another group key, or a where: neither index.
    for (const query of [
      `{ s: opportunityStats(groupBy: [STATUS]) { count interactionCount { sum } } }`,
      `{ s: opportunityStats(groupBy: [PRIORITY]) { count monetaryValue { sum } } }`,
      `{ s: opportunityStats(groupBy: [STATUS], where: { monetaryUnit: { eq: "USD" } }) { count monetaryValue { sum } } }`,
    ]) {
      expect((await hinted(query)).split(', ').sort(), query).toEqual([`\`${covering}\``, `\`${deletedAt}\``].sort());
    }
    // A bare count reads nothing but deleted_at: both indexes cover it.
    expect(await hinted('{ s: opportunityStats { count } }')).toBe('');
  });

  it.runIf(dialect === 'sqlite')('sends no index hint to SQLite', async () => {
    const { statement } = await statsQuery('{ s: opportunityStats(groupBy: [PRIORITY]) { count monetaryValue { sum } } }');
    expect(statement).not.toMatch(/INDEX/);
  });
});

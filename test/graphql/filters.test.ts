import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import {
  BIG_ID,
  COMPANIES,
  DANGLING_COMPANY,
  ids,
  live,
  OPPORTUNITIES,
  PEOPLE,
  PROJECTS,
  type SeedCompany,
  type SeedOpportunity,
  type SeedPerson,
} from './support/seed.js';

type V = string | number | Date | null;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1) + seconds * 1000);
const cmp = (x: V, y: V) => (x instanceof Date ? x.getTime() : x)! < (y instanceof Date ? y.getTime() : y)!;
const eq = (x: V, y: V) => x !== null && (x instanceof Date ? x.getTime() === (y as Date).getTime() : x === y);

/** JS versions of the operators, with the API's null rules. */
const op = {
  eq: (v: V) => (x: V) => eq(x, v),
  ne: (v: V) => (x: V) => x === null || !eq(x, v),
  in: (vs: V[]) => (x: V) => x !== null && vs.some((v) => eq(x, v)),
  notIn: (vs: V[]) => (x: V) => x === null || !vs.some((v) => eq(x, v)),
  lt: (v: V) => (x: V) => x !== null && cmp(x, v),
  lte: (v: V) => (x: V) => x !== null && (cmp(x, v) || eq(x, v)),
  gt: (v: V) => (x: V) => x !== null && cmp(v, x),
  gte: (v: V) => (x: V) => x !== null && (cmp(v, x) || eq(x, v)),
  contains: (v: string) => (x: V) => x !== null && String(x).toLowerCase().includes(v.toLowerCase()),
  startsWith: (v: string) => (x: V) => x !== null && String(x).toLowerCase().startsWith(v.toLowerCase()),
  isNull: (v: boolean) => (x: V) => (x === null) === v,
};

const liveCompany = (id: string | null) => live(COMPANIES).find((c) => c.id === id);
const livePerson = (id: string | null) => live(PEOPLE).find((p) => p.id === id);

type Case<T> = [where: string, expected: (row: T) => boolean];

const peopleCases: Case<SeedPerson>[] = [
  ['{ name: { eq: "Ann" } }', (p) => op.eq('Ann')(p.name)],
  ['{ name: { eq: null } }', (p) => p.name === null],
  ['{ name: { ne: "Ann" } }', (p) => op.ne('Ann')(p.name)],
  ['{ name: { ne: null } }', (p) => p.name !== null],
  ['{ name: { in: ["Ann", "Cy"] } }', (p) => op.in(['Ann', 'Cy'])(p.name)],
  ['{ name: { in: [] } }', () => false],
  ['{ name: { notIn: ["Ann", "Bob"] } }', (p) => op.notIn(['Ann', 'Bob'])(p.name)],
  ['{ name: { notIn: [] } }', () => true],
  ['{ name: { isNull: true } }', (p) => op.isNull(true)(p.name)],
  ['{ name: { isNull: false } }', (p) => op.isNull(false)(p.name)],
  ['{ name: { lt: "Bob" } }', (p) => op.lt('Bob')(p.name)],
  ['{ name: { lte: "Bob" } }', (p) => op.lte('Bob')(p.name)],
  ['{ name: { gt: "Dee" } }', (p) => op.gt('Dee')(p.name)],
  ['{ name: { gte: "Dee", lt: "Fay" } }', (p) => op.gte('Dee')(p.name) && op.lt('Fay')(p.name)],
  ['{ name: { startsWith: "E" } }', (p) => op.startsWith('E')(p.name)],
  ['{ name: { contains: "nn" } }', (p) => op.contains('nn')(p.name)],
  ['{ title: { contains: "50%" } }', (p) => op.contains('50%')(p.title)],
  ['{ title: { contains: "%" } }', (p) => op.contains('%')(p.title)],
  ['{ title: { contains: "_" } }', (p) => op.contains('_')(p.title)],
  ['{ title: { startsWith: "Dev_" } }', (p) => op.startsWith('Dev_')(p.title)],
  ['{ title: { contains: "O\'Brien; DROP TABLE people; --" } }', (p) => op.contains("O'Brien; DROP TABLE people; --")(p.title)],
  ['{ title: { eq: "x\' OR \'1\'=\'1" } }', () => false],
  ['{ title: { contains: "!" } }', (p) => op.contains('!')(p.title)],
  ['{ interactionCount: { eq: 2 } }', (p) => op.eq(2)(p.interactionCount)],
  ['{ interactionCount: { ne: 2 } }', (p) => op.ne(2)(p.interactionCount)],
  ['{ interactionCount: { in: [0, 1] } }', (p) => op.in([0, 1])(p.interactionCount)],
  ['{ interactionCount: { notIn: [0, 1] } }', (p) => op.notIn([0, 1])(p.interactionCount)],
  ['{ interactionCount: { lt: 2 } }', (p) => op.lt(2)(p.interactionCount)],
  ['{ interactionCount: { gte: 3 } }', (p) => op.gte(3)(p.interactionCount)],
  ['{ interactionCount: { isNull: true } }', (p) => op.isNull(true)(p.interactionCount)],
  [`{ dateModified: { gt: "${at(1030).toISOString()}" } }`, (p) => op.gt(at(1030))(p.dateModified)],
  [`{ dateModified: { lte: "${at(1030).toISOString()}" } }`, (p) => op.lte(at(1030))(p.dateModified)],
  [`{ dateModified: { eq: "${at(1020).toISOString()}" } }`, (p) => op.eq(at(1020))(p.dateModified)],
  [`{ dateModified: { in: ["${at(1020).toISOString()}", "${at(1040).toISOString()}"] } }`, (p) => op.in([at(1020), at(1040)])(p.dateModified)],
  ['{ dateModified: { isNull: true } }', (p) => op.isNull(true)(p.dateModified)],
  [`{ companyId: { eq: "${BIG_ID}" } }`, (p) => op.eq(BIG_ID)(p.companyId)],
  [`{ companyId: { in: ["1", "${DANGLING_COMPANY}"] } }`, (p) => op.in(['1', DANGLING_COMPANY])(p.companyId)],
  ['{ companyId: { notIn: ["1", "2"] } }', (p) => op.notIn(['1', '2'])(p.companyId)],
  ['{ companyId: { gt: "3" } }', (p) => p.companyId !== null && BigInt(p.companyId) > 3n],
  ['{ id: { gte: "140" } }', (p) => BigInt(p.id) >= 140n],
  ['{ syncedAt: { eq: "2026-01-01T00:00:00Z" } }', () => true],
  ['{ OR: [{ name: { eq: "Ann" } }, { interactionCount: { eq: 0 } }] }', (p) => op.eq('Ann')(p.name) || op.eq(0)(p.interactionCount)],
  ['{ AND: [{ name: { isNull: false } }, { interactionCount: { gt: 1 } }] }', (p) => p.name !== null && op.gt(1)(p.interactionCount)],
  ['{ NOT: { name: { eq: "Ann" } } }', (p) => !op.eq('Ann')(p.name)],
  ['{ NOT: { interactionCount: { gt: 2 } } }', (p) => !op.gt(2)(p.interactionCount)],
  ['{ NOT: { OR: [{ name: { eq: "Ann" } }, { name: { isNull: true } }] }, interactionCount: { lt: 4 } }', (p) => !(op.eq('Ann')(p.name) || p.name === null) && op.lt(4)(p.interactionCount)],
  ['{ OR: [] }', () => false],
  ['{ AND: [] }', () => true],
  ['{ company: { name: { contains: "Ac" } } }', (p) => op.contains('Ac')(liveCompany(p.companyId)?.name ?? null)],
  ['{ company: { address: { city: { eq: "Paris" } } } }', (p) => liveCompany(p.companyId)?.city === 'Paris'],
  ['{ NOT: { company: { name: { isNull: false } } } }', (p) => !(liveCompany(p.companyId)?.name != null)],
  ['{ company: {} }', (p) => !!liveCompany(p.companyId)],
];

const opportunityCases: Case<SeedOpportunity>[] = [
  ['{ monetaryValue: { gt: 5000 } }', (o) => op.gt(5000)(o.monetaryValue)],
  ['{ monetaryValue: { lte: 3005.5 } }', (o) => op.lte(3005.5)(o.monetaryValue)],
  ['{ monetaryValue: { eq: 1250.5 } }', (o) => op.eq(1250.5)(o.monetaryValue)],
  ['{ monetaryValue: { isNull: true } }', (o) => o.monetaryValue === null],
  ['{ winProbability: { in: [0, 13, 26] } }', (o) => op.in([0, 13, 26])(o.winProbability)],
  ['{ closeDate: { gte: "2026-05-01" } }', (o) => op.gte('2026-05-01')(o.closeDate)],
  ['{ closeDate: { eq: "2026-02-11" } }', (o) => op.eq('2026-02-11')(o.closeDate)],
  ['{ closeDate: { isNull: true } }', (o) => o.closeDate === null],
  ['{ status: { in: ["Won", "Lost"] } }', (o) => op.in(['Won', 'Lost'])(o.status)],
  ['{ leadsConvertedFrom: { isNull: true } }', () => true],
  ['{ pipelineStageId: { ne: "10" } }', (o) => op.ne('10')(o.pipelineStageId)],
  ['{ company: { name: { eq: "Acme" } } }', (o) => liveCompany(o.companyId)?.name === 'Acme'],
  ['{ primaryContact: { name: { eq: "Ann" } } }', (o) => livePerson(o.primaryContactId)?.name === 'Ann'],
  ['{ primaryContact: { company: { name: { eq: "Acme" } } } }', (o) => liveCompany(livePerson(o.primaryContactId)?.companyId ?? null)?.name === 'Acme'],
  ['{ company: { id: { eq: "2" } }, OR: [{ status: { eq: "Open" } }, { monetaryValue: { gt: 6000 } }] }', (o) => liveCompany(o.companyId)?.id === '2' && (o.status === 'Open' || op.gt(6000)(o.monetaryValue))],
];

const companyCases: Case<SeedCompany>[] = [
  ['{ name: { contains: "%" } }', (c) => op.contains('%')(c.name)],
  ['{ name: { contains: "0%_o" } }', (c) => op.contains('0%_o')(c.name)],
  ['{ name: { contains: "_" } }', (c) => op.contains('_')(c.name)],
  ['{ name: { contains: "acme" } }', (c) => op.contains('acme')(c.name)],
  ['{ address: { city: { in: ["Paris", "Oslo"] } } }', (c) => op.in(['Paris', 'Oslo'])(c.city)],
  ['{ address: { city: { isNull: true } } }', (c) => c.city === null],
  [`{ id: { in: ["${BIG_ID}", "1"] } }`, (c) => [BIG_ID, '1'].includes(c.id)],
  [`{ id: { lt: "${BIG_ID}" } }`, (c) => c.id !== BIG_ID],
];

it('cases are discriminating: most match some rows but not all', () => {
  const sizes = [
    ...peopleCases.map(([, f]) => [live(PEOPLE).filter(f).length, live(PEOPLE).length]),
    ...opportunityCases.map(([, f]) => [live(OPPORTUNITIES).filter(f).length, live(OPPORTUNITIES).length]),
    ...companyCases.map(([, f]) => [live(COMPANIES).filter(f).length, live(COMPANIES).length]),
  ];
  const partial = sizes.filter(([n, all]) => n > 0 && n < all).length;
  expect(partial / sizes.length).toBeGreaterThan(0.8);
});

describe.each(DIALECTS)('where filters on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  const matches = async (list: string, where: string, extra = ''): Promise<string[]> =>
    ids(dataOf<Record<string, { nodes: { id: string }[] }>>(await h.gql(`{ ${list}(first: 500, where: ${where}${extra}) { nodes { id } } }`))[list].nodes);

  it.each(peopleCases)('people(where: %s)', async (where, expected) => {
    expect(await matches('people', where)).toEqual(ids(live(PEOPLE).filter(expected)));
  });

  it.each(opportunityCases)('opportunities(where: %s)', async (where, expected) => {
    expect(await matches('opportunities', where)).toEqual(ids(live(OPPORTUNITIES).filter(expected)));
  });

  it.each(companyCases)('companies(where: %s)', async (where, expected) => {
    const sorted = live(COMPANIES).filter(expected).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    expect(await matches('companies', where)).toEqual(ids(sorted));
  });

  it('filters projects through the embedded related resource', async () => {
    expect(await matches('projects', '{ relatedResource: { type: { eq: "company" }, id: { eq: "1" } } }')).toEqual(
      ids(live(PROJECTS).filter((p) => p.relatedType === 'company' && p.relatedId === '1')),
    );
  });

  it('filters soft-deleted rows by deletedAt when they are included', async () => {
    expect(await matches('people', '{ deletedAt: { isNull: false } }', ', includeDeleted: true')).toEqual(ids(PEOPLE.filter((p) => p.deletedAt)));
    expect(await matches('people', '{ deletedAt: { isNull: false } }')).toEqual([]);
  });

  it('treats values as data: variables with SQL in them match nothing and break nothing', async () => {
    const hostile = ["' OR 1=1 --", '1; DROP TABLE people', '") OR ("1"="1', '\\', '%', '_', '!', '\u0000'];
    for (const value of hostile) {
      const response = await h.gql<{ people: { nodes: unknown[] } }>('query($v: String!) { people(where: { name: { eq: $v } }) { nodes { id } } }', { v: value });
      expect(dataOf(response).people.nodes).toEqual([]);
    }
    expect(await matches('people', '{}')).toHaveLength(live(PEOPLE).length);
  });

  it('rejects ids that are not 64-bit integers, too many values and too deep nesting', async () => {
    const bad = [
      '{ people(where: { id: { in: ["101", "abc"] } }) { nodes { id } } }',
      '{ people(where: { companyId: { eq: "99999999999999999999" } }) { nodes { id } } }',
      '{ people(where: { name: { lt: null } }) { nodes { id } } }',
      `{ people(where: ${'{ NOT: '.repeat(12)}{}${' }'.repeat(12)}) { nodes { id } } }`,
    ];
    for (const query of bad) {
      const response = await h.gql(query);
      expect(response.body.errors?.[0].extensions?.code, query).toBe('BAD_USER_INPUT');
    }
    const many = await h.gql('query($ids: [ID!]) { people(where: { id: { in: $ids } }) { nodes { id } } }', {
      ids: Array.from({ length: 1001 }, (_, i) => String(i)),
    });
    expect(many.body.errors?.[0].message).toMatch(/at most 1000 values/);
  });
});

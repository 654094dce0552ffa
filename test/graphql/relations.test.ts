import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import { BIG_ID, COMPANIES, ids, live, OPPORTUNITIES, PEOPLE, PROJECTS } from './support/seed.js';

type Node = Record<string, unknown> & { id: string };
type Conn = { nodes: Node[]; totalCount?: number; pageInfo?: { hasNextPage: boolean } };
const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
const liveIds = (rows: { id: string; deletedAt: Date | null }[]) => ids(byId(live(rows)));

describe.each(DIALECTS)('relations on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  it('resolve Person.company, and a dangling or soft-deleted company to null', async () => {
    const data = dataOf<{ people: Conn }>(
      await h.gql('{ people(first: 500) { nodes { id companyId company { id name } } } }'),
    );
    const liveCompanies = new Map(live(COMPANIES).map((c) => [c.id, c]));
    expect(data.people.nodes.map((n) => n.id)).toEqual(liveIds(PEOPLE));
    for (const node of data.people.nodes) {
      const expected = node.companyId ? liveCompanies.get(node.companyId as string) : undefined;
      expect(node.company, `person ${node.id}`).toEqual(expected ? { id: expected.id, name: expected.name } : null);
    }
    expect(data.people.nodes.some((n) => n.companyId === '999' && n.company === null)).toBe(true);
    expect(data.people.nodes.some((n) => n.companyId === BIG_ID && (n.company as Node).id === BIG_ID)).toBe(true);
  });

  it('resolve Company.people and Company.opportunities in the other direction, with per-parent first and totalCount', async () => {
    const data = dataOf<{ companies: { nodes: (Node & { people: Conn; opportunities: Conn })[] } }>(
      await h.gql(`{ companies(first: 500) { nodes { id
          people(first: 3) { nodes { id } totalCount pageInfo { hasNextPage } }
          opportunities(orderBy: [{ field: ID, direction: DESC }]) { nodes { id } totalCount } } } }`),
    );
    for (const company of data.companies.nodes) {
      const people = liveIds(PEOPLE.filter((p) => p.companyId === company.id));
      expect(company.people.nodes.map((n) => n.id), `people of ${company.id}`).toEqual(people.slice(0, 3));
      expect(company.people.totalCount).toBe(people.length);
      expect(company.people.pageInfo!.hasNextPage).toBe(people.length > 3);
      const opportunities = liveIds(OPPORTUNITIES.filter((o) => o.companyId === company.id)).reverse();
      expect(company.opportunities.nodes.map((n) => n.id)).toEqual(opportunities);
      expect(company.opportunities.totalCount).toBe(opportunities.length);
    }
    expect(data.companies.nodes.find((c) => c.id === '1')!.people.totalCount).toBeGreaterThan(3);
  });

  it('resolve Opportunity.primaryContact and Person.opportunities, dangling contact to null', async () => {
    const data = dataOf<{ opportunities: { nodes: (Node & { primaryContact: Node | null; company: Node | null })[] } }>(
      await h.gql('{ opportunities(first: 500) { nodes { id primaryContactId primaryContact { id } company { id } } } }'),
    );
    const livePeople = new Set(ids(live(PEOPLE)));
    for (const o of data.opportunities.nodes) {
      const expected = livePeople.has(o.primaryContactId as string) ? o.primaryContactId : null;
      expect(o.primaryContact?.id ?? null, `opportunity ${o.id}`).toBe(expected);
    }
    const people = dataOf<{ people: { nodes: (Node & { opportunities: Conn })[] } }>(
      await h.gql('{ people(first: 500, includeDeleted: true) { nodes { id opportunities(first: 500) { nodes { id } } } } }'),
    );
    for (const p of people.people.nodes) {
      expect(p.opportunities.nodes.map((n) => n.id)).toEqual(liveIds(OPPORTUNITIES.filter((o) => o.primaryContactId === p.id)));
    }
  });

  it('resolve Project.relatedRecord through the union, and projects on each related type', async () => {
    const data = dataOf<{ projects: { nodes: (Node & { relatedRecord: Node | null })[] } }>(
      await h.gql(`{ projects(first: 500, includeDeleted: true) { nodes { id relatedRecord { __typename
          ... on Person { id firstName } ... on Company { id name } ... on Opportunity { id status } } } } }`),
    );
    const targets: Record<string, [string, { id: string; deletedAt: Date | null }[]]> = {
      person: ['Person', PEOPLE],
      company: ['Company', COMPANIES],
      opportunity: ['Opportunity', OPPORTUNITIES],
    };
    for (const project of data.projects.nodes) {
      const seed = PROJECTS.find((p) => p.id === project.id)!;
      const target = seed.relatedType ? targets[seed.relatedType] : undefined;
      const found = target?.[1].find((r) => r.id === seed.relatedId && r.deletedAt === null);
      expect(project.relatedRecord?.id ?? null, `project ${project.id}`).toBe(found ? found.id : null);
      if (found) expect(project.relatedRecord!.__typename).toBe(target![0]);
    }

    const back = dataOf<{ company: { projects: Conn }; person: { projects: Conn }; opportunity: { projects: Conn } }>(
      await h.gql('{ company(id: "1") { projects { nodes { id } totalCount } } person(id: "101") { projects { nodes { id } } } opportunity(id: "201") { projects { nodes { id } } } }'),
    );
    const projectsOf = (type: string, id: string) => liveIds(PROJECTS.filter((p) => p.relatedType === type && p.relatedId === id));
    expect(back.company.projects.nodes.map((n) => n.id)).toEqual(projectsOf('company', '1'));
    expect(back.company.projects.totalCount).toBe(1); // the other project of company 1 is soft-deleted
    expect(back.person.projects.nodes.map((n) => n.id)).toEqual(projectsOf('person', '101'));
    expect(back.opportunity.projects.nodes.map((n) => n.id)).toEqual(projectsOf('opportunity', '201'));
  });

  it('look records up by id: ids above 2^53 exact, missing and soft-deleted ones null unless includeDeleted', async () => {
    const data = dataOf<Record<string, Node | null>>(
      await h.gql(`{ big: company(id: "${BIG_ID}") { id name } missing: company(id: "424242") { id }
        gone: company(id: "7") { id } goneIncluded: company(id: "7", includeDeleted: true) { id deletedAt }
        notANumber: person(id: "abc") { id } }`),
    );
    expect(data.big).toEqual({ id: BIG_ID, name: 'Big Id Co' });
    expect(data.missing).toBeNull();
    expect(data.gone).toBeNull();
    expect(data.goneIncluded).toEqual({ id: '7', deletedAt: '2025-01-01T00:08:20.000Z' });
    expect(data.notANumber).toBeNull();
  });

  it('page a relation backward through aliases that share one batch, without disturbing each other', async () => {
    type Ids = { nodes: { id: string }[] };
    const data = dataOf<{ companies: { nodes: { id: string; a: Ids; b: Ids; all: Ids }[] } }>(
      await h.gql('{ companies(first: 500) { nodes { id a: people(last: 2) { nodes { id } } b: people(last: 2) { nodes { id } } all: people(first: 500) { nodes { id } } } } }'),
    );
    const withPeople = data.companies.nodes.filter((c) => c.all.nodes.length > 2);
    expect(withPeople.length).toBeGreaterThan(0);
    for (const c of data.companies.nodes) {
      const lastTwo = c.all.nodes.slice(-2);
      expect(c.a.nodes).toEqual(lastTwo);
      expect(c.b.nodes).toEqual(lastTwo);
    }
  });

  it('hide soft-deleted rows in lists unless includeDeleted: true', async () => {
    const data = dataOf<{ a: { totalCount: number }; b: { totalCount: number } }>(
      await h.gql('{ a: people { totalCount } b: people(includeDeleted: true) { totalCount } }'),
    );
    expect(data.a.totalCount).toBe(live(PEOPLE).length);
    expect(data.b.totalCount).toBe(PEOPLE.length);
  });

  it('serialise every scalar kind: dates, decimals, JSON, embedded objects', async () => {
    const data = dataOf<{ opportunity: Node; company: Node }>(
      await h.gql('{ opportunity(id: "202") { monetaryValue closeDate dateModified raw syncedAt } company(id: "1") { address { city country } } }'),
    );
    const seed = OPPORTUNITIES[1];
    expect(data.opportunity).toEqual({
      monetaryValue: seed.monetaryValue,
      closeDate: seed.closeDate,
      dateModified: seed.dateModified!.toISOString(),
      raw: { id: '202', name: seed.name },
      syncedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(data.company.address).toEqual({ city: 'Paris', country: 'FR' });
  });
});

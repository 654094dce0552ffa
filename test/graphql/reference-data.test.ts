import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/index.js';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';
import { COMPANIES, ids, live, OPPORTUNITIES, PEOPLE } from './support/seed.js';
import { CONTACT_TYPES, CUSTOMER_SOURCES, LOSS_REASONS, opportunityCustomerSource, personContactType, PIPELINES, STAGES, USERS, type SeedLookup } from './support/seed-reference.js';

type Node = Record<string, unknown> & { id: string };
type Conn = { nodes: Node[]; totalCount?: number };
const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
const liveIds = (rows: { id: string; deletedAt: Date | null }[]) => ids(byId(live(rows)));
const liveById = <T extends SeedLookup>(rows: readonly T[]) => new Map(rows.filter((r) => r.deletedAt === null).map((r) => [r.id, r]));
const nameOf = (rows: readonly SeedLookup[], id: string | null | undefined): string | null => (id ? (liveById(rows).get(id)?.name ?? null) : null);

/**
 * The reference data as GraphQL serves it: the lookups' own root fields, the relations from the
 * four records to them and back, filters through them and group keys on their names. Expected
 * answers come from the seed's arrays; filters go as variables and every request runs twice.
 */
describe.each(DIALECTS)('reference data on %s', (dialect) => {
  let h: Harness;
  const twice = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const first = dataOf<T>(await h.gql<T>(query, variables));
    const second = dataOf<T>(await h.gql<T>(query, variables));
    expect(second).toEqual(first);
    return first;
  };
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  it('lists each lookup at its own root field, soft-deleted ones only with includeDeleted', async () => {
    const data = await twice<Record<string, Conn>>(`{
      users { nodes { id name } } pipelines { nodes { id name } } pipelineStages { nodes { id name pipelineId } }
      contactTypes { nodes { id name } } customerSources { nodes { id name } } lossReasons { nodes { id name } }
      all: pipelineStages(includeDeleted: true) { totalCount } }`);
    expect(data.users.nodes.map((n) => n.id)).toEqual(liveIds(USERS));
    expect(data.pipelines.nodes.map((n) => n.name)).toEqual(PIPELINES.map((p) => p.name));
    expect(data.pipelineStages.nodes.map((n) => n.id)).toEqual(liveIds(STAGES));
    expect(data.all.totalCount).toBe(STAGES.length);
    expect(data.contactTypes.nodes.map((n) => n.name)).toEqual(CONTACT_TYPES.map((c) => c.name));
    expect(data.customerSources.nodes.map((n) => n.name)).toEqual(CUSTOMER_SOURCES.map((c) => c.name));
    expect(data.lossReasons.nodes.map((n) => n.name)).toEqual(LOSS_REASONS.map((c) => c.name));
  });

  it('resolves stage, pipeline, owner, source and loss reason of each opportunity; null where the id points at no live row', async () => {
    const data = await twice<{ opportunities: Conn }>(`{ opportunities(first: 500) { nodes { id
      assignee { name } pipeline { name } pipelineStage { name pipeline { name } } customerSource { name } lossReason { name } } } }`);
    const seeds = new Map(OPPORTUNITIES.map((o, i) => [o.id, { ...o, index: i }]));
    expect(data.opportunities.nodes.map((n) => n.id)).toEqual(liveIds(OPPORTUNITIES));
    for (const node of data.opportunities.nodes) {
      const seed = seeds.get(node.id)!;
      const stage = liveById(STAGES).get(seed.pipelineStageId ?? '');
      const name = (value: string | null) => (value === null ? null : { name: value });
      expect(node.assignee, `assignee of ${node.id}`).toEqual(name(nameOf(USERS, seed.assigneeId)));
      expect(node.pipeline).toEqual(name(nameOf(PIPELINES, seed.pipelineId)));
      expect(node.pipelineStage).toEqual(stage ? { name: stage.name, pipeline: name(nameOf(PIPELINES, stage.pipelineId)) } : null);
      expect(node.customerSource).toEqual(name(nameOf(CUSTOMER_SOURCES, opportunityCustomerSource(seed.index))));
      expect(node.lossReason).toEqual(seed.status === 'Lost' ? { name: 'Price' } : null);
    }
    // The seed reaches each case: a deleted owner (3), a dangling one (0), a live one.
    expect(data.opportunities.nodes.some((n) => seeds.get(n.id)!.assigneeId === '3' && n.assignee === null)).toBe(true);
    expect(data.opportunities.nodes.some((n) => seeds.get(n.id)!.assigneeId === '0' && n.assignee === null)).toBe(true);
    expect(data.opportunities.nodes.some((n) => n.assignee !== null)).toBe(true);
  });

  it('resolves contactType on people and companies, and the reverse lists from a lookup', async () => {
    const data = await twice<{ people: Conn; contactTypes: { nodes: (Node & { people: Conn; companies: Conn })[] }; users: { nodes: (Node & { opportunities: Conn; people: Conn })[] } }>(`{
      people(first: 500) { nodes { id contactType { id name } } }
      contactTypes { nodes { id people(first: 500) { totalCount nodes { id } } companies { totalCount } } }
      users { nodes { id opportunities(first: 500) { totalCount nodes { id } } people(first: 2) { nodes { id } } } } }`);
    const index = new Map(PEOPLE.map((p, i) => [p.id, i]));
    for (const node of data.people.nodes) {
      const id = personContactType(index.get(node.id)!);
      expect(node.contactType, `contact type of ${node.id}`).toEqual(id ? { id, name: nameOf(CONTACT_TYPES, id) } : null);
    }
    for (const type of data.contactTypes.nodes) {
      const expected = liveIds(PEOPLE.filter((p) => personContactType(index.get(p.id)!) === type.id));
      expect(type.people.nodes.map((n) => n.id), `people of contact type ${type.id}`).toEqual(expected);
      expect(type.people.totalCount).toBe(expected.length);
      expect(type.companies.totalCount).toBe(0);
    }
    for (const user of data.users.nodes) {
      expect(user.opportunities.nodes.map((n) => n.id), `opportunities of user ${user.id}`).toEqual(liveIds(OPPORTUNITIES.filter((o) => o.assigneeId === user.id)));
      expect(user.people.nodes.map((n) => n.id)).toEqual(liveIds(PEOPLE.filter((p) => p.assigneeId === user.id)).slice(0, 2));
    }
    expect(COMPANIES.length).toBeGreaterThan(0);
  });

  it('lists the stages of each pipeline, live ones only', async () => {
    const data = await twice<{ pipelines: { nodes: (Node & { stages: Conn })[] } }>('{ pipelines { nodes { id stages { nodes { id name } } } } }');
    for (const pipeline of data.pipelines.nodes) {
      expect(pipeline.stages.nodes.map((s) => s.id)).toEqual(liveIds(STAGES.filter((s) => s.pipelineId === pipeline.id)));
    }
  });

  it('filters through a relation into the reference data, as a variable, and composes with NOT', async () => {
    const query = 'query($w: OpportunityWhere) { opportunities(first: 500, where: $w) { nodes { id } totalCount } }';
    const negotiation = new Set(STAGES.filter((s) => s.deletedAt === null && s.name === 'Negotiation').map((s) => s.id));
    const inNegotiation = OPPORTUNITIES.filter((o) => negotiation.has(o.pipelineStageId ?? ''));
    const found = await twice<{ opportunities: Conn }>(query, { w: { pipelineStage: { name: { eq: 'Negotiation' } } } });
    expect(found.opportunities.nodes.map((n) => n.id)).toEqual(liveIds(inNegotiation));
    expect(inNegotiation.length).toBeGreaterThan(0);
    const notAda = await twice<{ opportunities: Conn }>(query, { w: { NOT: { assignee: { name: { eq: 'Ada Lovelace' } } } } });
    expect(notAda.opportunities.nodes.map((n) => n.id)).toEqual(liveIds(OPPORTUNITIES.filter((o) => o.assigneeId !== '1')));
    const viaPipeline = await twice<{ opportunities: Conn }>(query, { w: { pipelineStage: { pipeline: { name: { eq: 'Renewals' } } } } });
    const renewalStages = new Set(STAGES.filter((s) => s.deletedAt === null && s.pipelineId === '2').map((s) => s.id));
    expect(viaPipeline.opportunities.nodes.map((n) => n.id)).toEqual(liveIds(OPPORTUNITIES.filter((o) => renewalStages.has(o.pipelineStageId ?? ''))));
  });

  it('groups the stats by a lookup name; records without a live one form the group of nulls', async () => {
    const data = await twice<{ opportunityStats: { key: { pipelineStageName: string | null; assigneeName: string | null }; count: number }[] }>(
      '{ opportunityStats(groupBy: [PIPELINE_STAGE_NAME, ASSIGNEE_NAME]) { key { pipelineStageName assigneeName } count } }',
    );
    const expected = new Map<string, number>();
    for (const o of live(OPPORTUNITIES)) {
      const key = JSON.stringify([nameOf(STAGES, o.pipelineStageId), nameOf(USERS, o.assigneeId)]);
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const actual = new Map(data.opportunityStats.map((g) => [JSON.stringify([g.key.pipelineStageName, g.key.assigneeName]), g.count]));
    expect(actual).toEqual(expected);
    // Largest groups first.
    const counts = data.opportunityStats.map((g) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('masks a user’s email without read:pii and refuses a lookup without read:reference', async () => {
    const keyed = await startHarness(dialect, { env: { AUTH_MODE: 'api-key' } });
    try {
      const store = new ApiKeyStore(keyed.dataSource);
      const withReference = (await store.create('with-reference', ['read:opportunities', 'read:reference'])).key;
      const without = (await store.create('without-reference', ['read:opportunities'])).key;
      const query = '{ opportunities(first: 3) { nodes { id assignee { name email } } } }';
      const masked = await keyed.gql<{ opportunities: Conn }>(query, undefined, { authorization: `Bearer ${withReference}` });
      expect(masked.body.errors).toBeUndefined();
      expect(masked.body.data!.opportunities.nodes.every((n) => n.assignee === null || (n.assignee as Node).email === null)).toBe(true);
      expect(JSON.stringify(masked.body)).not.toContain('@example.com');
      const refused = await keyed.gql(query, undefined, { authorization: `Bearer ${without}` });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.body.errors?.[0]?.message).toContain('read:reference');
    } finally {
      await keyed.close();
    }
  });
});

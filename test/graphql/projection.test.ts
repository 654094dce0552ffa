import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { dataOf, startHarness, type Harness } from './support/harness.js';

/**
 * Lists and relations select only the columns the query reads. These tests hunt for a field
 * that comes back null or wrong because its column was left out: every field of every type,
 * alone and together, through `nodes`, `edges.node`, fragments, aliases and @include, compared
 * with `_entities`, which reads whole rows.
 */

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface IntrospectedField {
  name: string;
  args: { name: string }[];
  type: TypeRef;
}

const TYPES = [
  { typeName: 'Person', list: 'people' },
  { typeName: 'Company', list: 'companies' },
  { typeName: 'Opportunity', list: 'opportunities' },
  { typeName: 'Project', list: 'projects' },
];
const RECORD_TYPES = new Set(TYPES.map((t) => t.typeName));

const namedType = (t: TypeRef): TypeRef => (t.ofType ? namedType(t.ofType) : t);

/** The loaders read whole top-level properties (`address` is all its columns); the compiled SQL path (MariaDB) reads each selected column alone. */
const PATHS = [...DIALECTS.map((dialect) => ({ dialect, path: 'loaders' as const })), { dialect: 'mysql' as const, path: 'compiled' as const }];

describe.each(PATHS)('column projection on $dialect, $path', ({ dialect, path }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { GRAPHQL_SQL_COMPILE: path === 'compiled' ? 'auto' : 'off' } });
  });
  afterAll(async () => h?.close());

  const fieldsOf = async (typeName: string): Promise<IntrospectedField[]> => {
    const query = `{ __type(name: "${typeName}") { fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`;
    return dataOf<{ __type: { fields: IntrospectedField[] } }>(await h.gql(query)).__type.fields;
  };

  /** Each stored field of a type as a selection: leaves by name, value objects with all their leaves; relations left out. */
  const storedSelections = async (typeName: string): Promise<Map<string, string>> => {
    const selections = new Map<string, string>();
    for (const field of await fieldsOf(typeName)) {
      const type = namedType(field.type);
      if (field.args.length > 0 || RECORD_TYPES.has(type.name!) || type.kind === 'UNION') continue;
      if (type.kind === 'OBJECT') {
        const inner = [...(await storedSelections(type.name!)).values()].join(' ');
        selections.set(field.name, `${field.name} { ${inner} }`);
      } else {
        selections.set(field.name, field.name);
      }
    }
    return selections;
  };

  const rowsById = <T extends { id: string }>(nodes: T[]): Map<string, T> => new Map(nodes.map((n) => [n.id, n]));

  describe.each(TYPES)('$typeName', ({ typeName, list }) => {
    let selections: Map<string, string>;
    let truth: Map<string, Record<string, unknown>>;

    beforeAll(async () => {
      selections = await storedSelections(typeName);
      const all = [...selections.values()].join(' ');
      const ids = dataOf<Record<string, { nodes: { id: string }[] }>>(await h.gql(`{ ${list}(first: 500) { nodes { id } } }`))[list].nodes.map((n) => n.id);
      const representations = ids.map((id) => ({ __typename: typeName, id }));
      const entities = dataOf<{ _entities: Record<string, unknown>[] }>(
        await h.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${all} } } }`, { r: representations }),
      )._entities;
      truth = new Map(entities.map((e) => [e.id as string, e]));
    });

    it('has rows and a field of every stored kind to compare', () => {
      expect(truth.size).toBeGreaterThan(2);
      expect([...selections.keys()]).toEqual(expect.arrayContaining(['id', 'name', 'raw', 'details', 'customFields', 'syncedAt', 'deletedAt']));
    });

    it('returns every field, selected all together, as whole rows have it (nodes and edges.node)', async () => {
      const all = [...selections.values()].join(' ');
      const data = dataOf<Record<string, { nodes: Record<string, unknown>[]; edges: { node: Record<string, unknown> }[] }>>(
        await h.gql(`{ ${list}(first: 500) { nodes { ${all} } edges { node { ${all} } } } }`),
      )[list];
      expect(data.nodes).toEqual(data.nodes.map((n) => truth.get(n.id as string)));
      expect(data.edges.map((e) => e.node)).toEqual(data.nodes);
    });

    it('returns each field, selected alone, as whole rows have it', async () => {
      for (const [field, selection] of selections) {
        const nodes = dataOf<Record<string, { nodes: Record<string, unknown>[] }>>(await h.gql(`{ ${list}(first: 500) { nodes { id ${selection} } } }`))[list].nodes;
        for (const node of nodes) expect({ field, value: node[field] }).toEqual({ field, value: truth.get(node.id as string)![field] });
      }
    });
  });

  it('reads only the columns of the selected fields: no raw, details or JSON for a list of names', async () => {
    h.sql.reset();
    dataOf(await h.gql('{ companies(first: 5) { nodes { name } } }'));
    const [statement] = h.sql.statements;
    expect(statement).toMatch(/\bname\b/);
    for (const column of ['raw', 'details', 'custom_fields', 'tags', 'address_city']) expect(statement).not.toMatch(new RegExp(`\\b${column}\\b`));

    h.sql.reset();
    dataOf(await h.gql('{ companies(first: 5) { nodes { raw address { city } } } }'));
    expect(h.sql.statements[0]).toMatch(/\braw\b/);
    expect(h.sql.statements[0]).toMatch(/\baddress_city\b/);
    if (path === 'loaders') expect(h.sql.statements[0]).toMatch(/\baddress_country\b/);
    else expect(h.sql.statements[0]).not.toMatch(/\baddress_country\b/);
  });

  it('follows fragments, aliases and @include with variables', async () => {
    const query = `query($withName: Boolean!) {
      people(first: 500) { edges { node { ...Who label: title @include(if: $withName) } } }
    }
    fragment Who on Person { id ... on Person { first: name } }`;
    type Data = { people: { edges: { node: { id: string; first: string | null; label?: string | null } }[] } };
    const withName = dataOf<Data>(await h.gql(query, { withName: true })).people.edges.map((e) => e.node);
    const without = dataOf<Data>(await h.gql(query, { withName: false })).people.edges.map((e) => e.node);
    const truth = rowsById(dataOf<{ people: { nodes: { id: string; name: string | null; title: string | null }[] } }>(
      await h.gql('{ people(first: 500) { nodes { id name title } } }'),
    ).people.nodes);
    expect(withName.some((n) => n.first !== null && n.label !== null)).toBe(true);
    expect(withName).toEqual(withName.map((n) => ({ id: n.id, first: truth.get(n.id)!.name, label: truth.get(n.id)!.title })));
    expect(without).toEqual(withName.map((n) => ({ id: n.id, first: n.first })));
  });

  it('reads the keys relations need even when the query does not select them', async () => {
    type Data = {
      people: { nodes: { id: string; companyId: string | null; company: { id: string } | null }[] };
      projects: { nodes: { id: string; relatedResource: { id: string | null; type: string | null }; relatedRecord: { __typename: string; id: string } | null }[] };
    };
    const withKeys = dataOf<Data>(
      await h.gql(`{
        people(first: 500) { nodes { id companyId company { id } } }
        projects(first: 500) { nodes { id relatedResource { id type } relatedRecord { __typename ... on Person { id } ... on Company { id } ... on Opportunity { id } } } }
      }`),
    );
    const withoutKeys = dataOf<Data>(
      await h.gql(`{
        people(first: 500) { nodes { id company { id } } }
        projects(first: 500) { nodes { id relatedRecord { __typename ... on Person { id } ... on Company { id } ... on Opportunity { id } } } }
      }`),
    );
    expect(withKeys.people.nodes.filter((p) => p.company).length).toBeGreaterThan(1);
    expect(withKeys.projects.nodes.filter((p) => p.relatedRecord).length).toBeGreaterThan(0);
    expect(withoutKeys.people.nodes).toEqual(withKeys.people.nodes.map(({ id, company }) => ({ id, company })));
    expect(withoutKeys.projects.nodes).toEqual(withKeys.projects.nodes.map(({ id, relatedRecord }) => ({ id, relatedRecord })));
  });

  it('gives two selections of one record in one request each their own columns', async () => {
    type Data = { opportunities: { nodes: { id: string; a: { name: string } | null; b: { id: string; address: { city: string | null } } | null }[] } };
    const data = dataOf<Data>(await h.gql('{ opportunities(first: 500) { nodes { id a: company { name } b: company { id address { city } } } } }'));
    const companies = rowsById(
      dataOf<{ companies: { nodes: { id: string; name: string; address: { city: string | null } }[] } }>(
        await h.gql('{ companies(first: 500) { nodes { id name address { city } } } }'),
      ).companies.nodes,
    );
    const linked = data.opportunities.nodes.filter((o) => o.b);
    expect(linked.length).toBeGreaterThan(1);
    for (const o of linked) {
      expect(o.a).toEqual({ name: companies.get(o.b!.id)!.name });
      expect(o.b!.address).toEqual(companies.get(o.b!.id)!.address);
    }
  });
});

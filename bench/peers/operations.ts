import type { Operation } from '../lib/load.js';
import { operations as mirrorgraphOperations } from '../graphql.bench.js';

/**
 * The four operations of the GraphQL benchmark in each server's form, and one normaliser per
 * server that maps its answer to a shape the others' can be compared with.
 *
 * PostGraphile's field names are the ones it infers: `allPeople`, `peopleByCompanyId`,
 * `opportunitiesByPrimaryContactId`, `companyByCompanyId` in both; v4 keeps the column `id` as
 * `id` (`personById(id:)`, the Node id is `nodeId`) where v5's Amber preset renames it `rowId`
 * (`personByRowId(rowId:)`, `id` is the Node id). Mirrorgraph's lists default to 50 rows ordered by id: the PostGraphile
 * queries say `first: 50, orderBy: PRIMARY_KEY_ASC` where ours rely on that default. The grouped
 * stats use @graphile/pg-aggregates' `groupedAggregates`; a group's count is `distinctCount { id }`
 * (id is the primary key, so it counts the rows).
 */
export type PeerOperationId = 'byId' | 'flat' | 'nested' | 'stats';
export type Dialect = 'mirrorgraph' | 'postgraphile4' | 'postgraphile5';

export const OPERATION_LABELS: Record<PeerOperationId, string> = {
  byId: 'one record by id',
  flat: 'flat page of 50',
  nested: 'nested 50 x 20 x 50',
  stats: 'grouped stats',
};
export const OPERATION_IDS: readonly PeerOperationId[] = ['byId', 'flat', 'nested', 'stats'];

const postgraphileQueries = (id: 'id' | 'rowId'): Record<PeerOperationId, string> => ({
  byId:
    id === 'id'
      ? 'query ById($id: BigInt!) { personById(id: $id) { id name title companyName dateModified } }'
      : 'query ById($id: BigInt!) { personByRowId(rowId: $id) { rowId name title companyName dateModified } }',
  flat: `query Flat { allPeople(first: 50, orderBy: PRIMARY_KEY_ASC) { nodes { ${id} name } } }`,
  nested:
    'query Nested { allCompanies(first: 50, orderBy: PRIMARY_KEY_ASC) { nodes { peopleByCompanyId(first: 20, orderBy: PRIMARY_KEY_ASC) { nodes { opportunitiesByPrimaryContactId(first: 50, orderBy: PRIMARY_KEY_ASC) { nodes { companyByCompanyId { name } } } } } } } }',
  stats:
    'query Stats { allOpportunities { groupedAggregates(groupBy: [STATUS]) { keys distinctCount { id } sum { monetaryValue } average { monetaryValue winProbability } min { monetaryValue } max { monetaryValue } } } }'.replace(
      'distinctCount { id }',
      `distinctCount { ${id} }`,
    ),
});
const POSTGRAPHILE_QUERIES = { postgraphile4: postgraphileQueries('id'), postgraphile5: postgraphileQueries('rowId') };

export function peerOperation(dialect: Dialect, id: PeerOperationId, personId: string): Operation {
  if (dialect === 'mirrorgraph') {
    const op = mirrorgraphOperations(personId)[OPERATION_IDS.indexOf(id)];
    return { ...op, name: OPERATION_LABELS[id] };
  }
  return { name: OPERATION_LABELS[id], query: POSTGRAPHILE_QUERIES[dialect][id], ...(id === 'byId' ? { variables: { id: personId } } : {}) };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are untyped JSON, checked by shape below
type Any = any;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
const nodes = (connection: Any, what: string): Any[] => {
  if (!connection || !Array.isArray(connection.nodes)) throw new Error(`answer has no ${what}.nodes: ${JSON.stringify(connection)?.slice(0, 300)}`);
  return connection.nodes;
};

interface StatsGroup {
  status: string | null;
  count: number;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  winAvg: number | null;
}
/** Groups as a set: sorted by key (Mirrorgraph orders by count, pg-aggregates by nothing in particular). */
const sortGroups = (groups: StatsGroup[]) => groups.sort((a, b) => (a.status === b.status ? 0 : a.status === null ? -1 : b.status === null ? 1 : a.status < b.status ? -1 : 1));

/** Maps a server's `{ data }` to the comparable shape. */
export function normalise(dialect: Dialect, id: PeerOperationId, body: Any): Json {
  const data = body?.data;
  if (!data) throw new Error(`no data in ${JSON.stringify(body)?.slice(0, 300)}`);
  const mg = dialect === 'mirrorgraph';
  // The table's id column: `id` in Mirrorgraph and PostGraphile 4, `rowId` in PostGraphile 5.
  const idOf = (row: Any) => String(dialect === 'postgraphile5' ? row.rowId : row.id);
  switch (id) {
    case 'byId': {
      const p = mg ? data.person : dialect === 'postgraphile5' ? data.personByRowId : data.personById;
      return p ? { id: idOf(p), name: p.name, title: p.title, companyName: p.companyName, dateModified: iso(p.dateModified) } : null;
    }
    case 'flat':
      return nodes(mg ? data.people : data.allPeople, 'people').map((p) => ({ id: idOf(p), name: p.name }));
    case 'nested':
      return nodes(mg ? data.companies : data.allCompanies, 'companies').map((c) =>
        nodes(mg ? c.people : c.peopleByCompanyId, 'people').map((p) =>
          nodes(mg ? p.opportunities : p.opportunitiesByPrimaryContactId, 'opportunities').map((o) => {
            const company = mg ? o.company : o.companyByCompanyId;
            return company ? { name: company.name } : null;
          }),
        ),
      );
    case 'stats': {
      const groups: StatsGroup[] = mg
        ? (data.opportunityStats as Any[]).map((g) => ({
            status: g.key.status,
            count: Number(g.count),
            sum: num(g.monetaryValue.sum),
            avg: num(g.monetaryValue.avg),
            min: num(g.monetaryValue.min),
            max: num(g.monetaryValue.max),
            winAvg: num(g.winProbability.avg),
          }))
        : (data.allOpportunities.groupedAggregates as Any[]).map((g) => ({
            status: g.keys[0] ?? null,
            count: Number(dialect === 'postgraphile5' ? g.distinctCount.rowId : g.distinctCount.id),
            sum: num(g.sum.monetaryValue),
            avg: num(g.average.monetaryValue),
            min: num(g.min.monetaryValue),
            max: num(g.max.monetaryValue),
            winAvg: num(g.average.winProbability),
          }));
      return sortGroups(groups) as unknown as Json;
    }
  }
}

/** Relative tolerance for floats: MariaDB's AVG of a DECIMAL keeps 4 more decimals, PostgreSQL's many more. */
export const FLOAT_TOLERANCE = 1e-6;

/** The first difference between two normalised answers, or null; numbers within FLOAT_TOLERANCE are equal. */
export function firstDifference(a: Json, b: Json, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-12);
    return Math.abs(a - b) / scale <= FLOAT_TOLERANCE ? null : `${path}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const d = firstDifference((a as Record<string, Json>)[key] ?? null, (b as Record<string, Json>)[key] ?? null, `${path}.${key}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** Counts what the answer holds, for the log (so an all-empty answer is noticed). */
export function describe(id: PeerOperationId, answer: Json): string {
  if (id === 'byId') return answer ? 'one person' : 'null';
  if (id === 'flat') return `${(answer as Json[]).length} people`;
  if (id === 'stats') return `${(answer as Json[]).length} groups`;
  const companies = answer as Json[][][];
  const people = companies.reduce((n, c) => n + c.length, 0);
  const opportunities = companies.reduce((n, c) => n + c.reduce((m, p) => m + p.length, 0), 0);
  const withCompany = companies.reduce((n, c) => n + c.reduce((m, p) => m + p.filter(Boolean).length, 0), 0);
  return `${companies.length} companies, ${people} people, ${opportunities} opportunities (${withCompany} with a live company)`;
}

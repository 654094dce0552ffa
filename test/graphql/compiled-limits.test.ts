import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlExecutions } from '../../src/observability/metrics.js';
import { startHarness, type Harness } from './support/harness.js';

/**
 * The compiled SQL path builds a whole answer as one JSON value in MariaDB, which has two
 * limits the loaders never meet: an aggregate is cut at group_concat_max_len (1 MiB by default;
 * the statement raises it for itself) and a value larger than max_allowed_packet (16 MiB by
 * default) comes back NULL. Real rows of those sizes: the first must still be answered by the
 * one statement, the second by the loaders, and both completely.
 */
const sqlExecutions = async (): Promise<number> =>
  (await graphqlExecutions.get()).values.filter((v) => v.labels.executor === 'sql').reduce((sum, v) => sum + v.value, 0);

const KB = 1024;

describe('the compiled SQL path and the sizes MariaDB can build (mysql only; SQLite uses the loaders)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('mysql', { env: { GRAPHQL_SQL_COMPILE: 'auto' } });
    // Company 3's people get long details: three of 600 KiB (1.8 MiB together), and in company 2 two of 9 MiB (18 MiB together).
    const people = await h.dataSource.query<{ id: string; company_id: string }[]>('SELECT id, company_id FROM people WHERE company_id IN (2, 3) AND deleted_at IS NULL ORDER BY id');
    const of = (company: string) => people.filter((p) => String(p.company_id) === company).map((p) => String(p.id));
    const filler = (id: string, size: number) => `${id}:${'é'.repeat(size / 2 - id.length)}`;
    for (const id of of('3').slice(0, 3)) await h.dataSource.query('UPDATE people SET details = ? WHERE id = ?', [filler(id, 600 * KB), id]);
    for (const id of of('2').slice(0, 2)) await h.dataSource.query('UPDATE people SET details = ? WHERE id = ?', [filler(id, 9 * KB * KB), id]);
  }, 120_000);
  afterAll(async () => h?.close());

  const detailsOf = async (company: string) => {
    const before = await sqlExecutions();
    const response = await h.gql<{ company: { people: { nodes: { id: string; details: string | null }[] } } }>(
      `query($id: ID!) { company(id: $id) { people(first: 5) { nodes { id details } } } }`,
      { id: company },
    );
    expect(response.body.errors, JSON.stringify(response.body.errors)?.slice(0, 500)).toBeUndefined();
    return { nodes: response.body.data!.company.people.nodes, compiled: (await sqlExecutions()) - before };
  };

  it('answers a page longer than group_concat_max_len in one statement, whole', async () => {
    const { nodes, compiled } = await detailsOf('3');
    expect(compiled).toBe(1);
    const long = nodes.filter((n) => (n.details?.length ?? 0) > 250 * KB);
    expect(long).toHaveLength(3);
    for (const node of long) expect(node.details!.startsWith(`${node.id}:`) && node.details!.endsWith('é')).toBe(true);
  });

  it('leaves a page larger than max_allowed_packet to the loaders, which answer it whole', async () => {
    const { nodes, compiled } = await detailsOf('2');
    expect(compiled).toBe(0);
    const long = nodes.filter((n) => (n.details?.length ?? 0) > 4 * KB * KB);
    expect(long).toHaveLength(2);
    for (const node of long) expect(node.details!.startsWith(`${node.id}:`)).toBe(true);
  });
});

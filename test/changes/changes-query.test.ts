import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { ChangeLogReader } from '../../src/changes/change-log.reader.js';
import { ADMIN_TOKEN, dataOf, startHarness, type Harness } from '../graphql/support/harness.js';
import { DIALECTS } from '../support/databases.js';
import { changesOf, commitChanges } from './support/commit-changes.js';

const ADMIN: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` };
const CHANGES = 'query($after: String, $resources: [Resource!], $first: Int) { changes(after: $after, resources: $resources, first: $first) { nodes { cursor resource id kind source committedAt } endCursor hasNextPage } }';

interface Page {
  changes: { nodes: { cursor: string; resource: string; id: string; kind: string; source: string; committedAt: string }[]; endCursor: string | null; hasNextPage: boolean };
}

describe.each(DIALECTS)('the changes query on %s', (dialect) => {
  let h: Harness;
  let companiesOnly: Record<string, string>;
  // The same document twice: the first run interpreted, the second compiled (GRAPHQL_JIT_AFTER=0 compiles at once; repeated anyway).
  const ask = async (variables: Record<string, unknown>, headers = ADMIN) => {
    const first = await h.gql<Page>(CHANGES, variables, headers);
    const again = await h.gql<Page>(CHANGES, variables, headers);
    const shape = (r: typeof first) => ({ status: r.status, data: r.body.data, errors: r.body.errors?.map((e) => [e.message, e.extensions?.code]) });
    expect(shape(again)).toEqual(shape(first));
    return first;
  };
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { AUTH_MODE: 'api-key' } });
    companiesOnly = { authorization: `Bearer ${(await new ApiKeyStore(h.dataSource).create('companies-reader', ['read:companies'])).key}` };
    await commitChanges(h.dataSource, [...changesOf('people', ['1', '2']), ...changesOf('companies', ['10'])], 'sync', new Date('2026-03-01T10:00:00.123Z'));
    await commitChanges(h.dataSource, changesOf('people', ['2'], 'DELETED'), 'reconcile');
    await commitChanges(h.dataSource, changesOf('companies', ['11', '12']), 'webhook');
  });
  afterAll(async () => h?.close());

  it('pages the whole log in commit order with opaque cursors, from the oldest change', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: Page['changes'] = dataOf(await ask({ after, first: 2 })).changes;
      seen.push(...page.nodes.map((n) => `${n.resource}:${n.id}:${n.kind}:${n.source}`));
      expect(page.endCursor).toBe(page.nodes.at(-1)?.cursor ?? after);
      after = page.endCursor;
      if (!page.hasNextPage) break;
    }
    expect(seen).toEqual(['PEOPLE:1:UPSERTED:SYNC', 'PEOPLE:2:UPSERTED:SYNC', 'COMPANIES:10:UPSERTED:SYNC', 'PEOPLE:2:DELETED:RECONCILE', 'COMPANIES:11:UPSERTED:WEBHOOK', 'COMPANIES:12:UPSERTED:WEBHOOK']);
    const first = dataOf(await ask({ first: 1 })).changes.nodes[0]!;
    expect(first.committedAt).toBe('2026-03-01T10:00:00.123Z');
    // Past the end: no nodes, the cursor given back, and a change committed later comes after it.
    const end = dataOf(await ask({ after }));
    expect(end.changes).toEqual({ nodes: [], endCursor: after, hasNextPage: false });
  });

  it('gives the head as endCursor of an empty page without a cursor', async () => {
    const empty = await startHarness(dialect, { seed: false });
    try {
      const page = dataOf(await empty.gql<Page>(CHANGES, {}));
      expect(page.changes).toEqual({ nodes: [], endCursor: '0', hasNextPage: false });
    } finally {
      await empty.close();
    }
  });

  it('shows only the resources the caller may read, and refuses one it names without the scope', async () => {
    const page = dataOf(await ask({}, companiesOnly)).changes;
    expect(page.nodes.map((n) => n.id)).toEqual(['10', '11', '12']);
    const refused = await ask({ resources: ['PEOPLE'] }, companiesOnly);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.errors?.[0]?.message).toMatch(/read:people/);
    const anonymous = await ask({}, {} as Record<string, string>);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const named = dataOf(await ask({ resources: ['PEOPLE'] })).changes;
    expect(named.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['1:UPSERTED', '2:UPSERTED', '2:DELETED']);
  });

  it('refuses a malformed, foreign or pruned cursor and an out-of-bounds first with BAD_USER_INPUT that says what was expected', async () => {
    const malformed = await ask({ after: `x${'y'.repeat(5_000)}` });
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.body.errors?.[0]?.message).toMatch(/expected a cursor from changes or recordsChanged/);
    expect(malformed.body.errors![0]!.message.length).toBeLessThan(200);
    const foreign = await ask({ after: '123456789' });
    expect(foreign.body.errors?.[0]?.message).toMatch(/past the change log's last sequence/);
    for (const first of [0, 1_001, -1]) {
      const bad = await ask({ first });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.body.errors?.[0]?.message).toMatch(/from 1 to 1000/);
    }
    // 1,000 rows a page is within the cost limit of a default server (the harness raises it, so check the estimate directly).
    expect(dataOf(await ask({ first: 1_000 })).changes.nodes).toHaveLength(6);

    const pruned = await startHarness(dialect, { seed: false });
    try {
      await commitChanges(pruned.dataSource, changesOf('people', ['1', '2']), 'sync', new Date('2020-01-01T00:00:00Z'));
      await commitChanges(pruned.dataSource, changesOf('people', ['3']), 'sync', new Date());
      expect(await new ChangeLogReader(pruned.dataSource).prune(new Date('2021-01-01T00:00:00Z'))).toBe(2);
      const gone = await pruned.gql(CHANGES, { after: '1' });
      expect(gone.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(gone.body.errors?.[0]?.message).toMatch(/pruned/);
      // Without a cursor: from the oldest change kept.
      expect(dataOf(await pruned.gql<Page>(CHANGES, {})).changes.nodes.map((n) => n.cursor)).toEqual(['3']);
    } finally {
      await pruned.close();
    }
  });
});

describe('the changes query under the default cost limit', () => {
  it('costs its page size times its selection, so the largest page passes', async () => {
    const h = await startHarness('sqlite', { seed: false, env: { GRAPHQL_MAX_COST: '250000' } });
    try {
      expect(dataOf(await h.gql<Page>(CHANGES, { first: 1_000 })).changes.nodes).toEqual([]);
      const tight = await startHarness('sqlite', { seed: false, env: { GRAPHQL_MAX_COST: '500' } });
      try {
        const refused = await tight.gql(CHANGES, { first: 1_000 });
        expect(refused.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
        expect(dataOf(await tight.gql<Page>(CHANGES, { first: 10 })).changes.nodes).toEqual([]);
      } finally {
        await tight.close();
      }
    } finally {
      await h.close();
    }
  });
});

import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startHarness } from '../graphql/support/harness.js';
it('prints', async () => {
  const out: Record<string, { text: string[]; params?: unknown }> = {};
  for (const mode of ['auto', 'off']) {
    const h = await startHarness('mysql', { env: { GRAPHQL_SQL_COMPILE: mode } });
    for (const [name, q, v] of [['byid', 'query ById($id: ID!) { person(id: $id) { id name title companyName dateModified } }', { id: '101' }], ['flat', '{ people(first: 50) { nodes { id name } } }', {}], ['nested', '{ companies(first: 50) { nodes { people(first: 20) { nodes { opportunities { nodes { company { name } } } } } } } }', {}]] as const) {
      h.sql.reset();
      await h.gql(q, v);
      out[`${name}-${mode}`] = { text: [...h.sql.statements] };
    }
    await h.close();
  }
  writeFileSync('/tmp/sqltext.json', JSON.stringify(out, null, 1));
});

import 'reflect-metadata';
import { parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { describe, expect, it } from 'vitest';
import { buildMirrorSchema } from '../../src/schema/build-schema.js';
import { pagedEstimator } from '../../src/server/limits/cost.plugin.js';

describe('the cost estimator', async () => {
  const schema = await buildMirrorSchema();
  const limits = { defaultPageSize: 50, maxPageSize: 500 };
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    getComplexity({ schema, query: parse(query), variables, estimators: [pagedEstimator(limits)] });

  it('costs a connection at its page size, default 50', () => {
    expect(cost('{ people { nodes { id } } }')).toBe(1 + 50 * (1 + 1));
    expect(cost('{ people(first: 3) { nodes { id } } }')).toBe(1 + 3 * 2);
  });

  it('costs stats at the groups they return: every one (the maximum page size) unless first is given', () => {
    expect(cost('{ opportunityStats(groupBy: [STATUS]) { count } }')).toBe(1 + 500 * 1);
    expect(cost('{ opportunityStats(groupBy: [STATUS], first: 5) { count } }')).toBe(1 + 5 * 1);
  });

  it('costs _entities like a list of its representations', () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { people(first: 10) { nodes { id } } } } }';
    const one = cost(query, { r: [{ __typename: 'Company', id: '1' }] });
    const many = cost(query, { r: Array.from({ length: 2_000 }, (_, i) => ({ __typename: 'Company', id: String(i) })) });
    expect(one).toBe(1 + 1 * (1 + 10 * (1 + 1)));
    expect(many).toBe(1 + 2_000 * (1 + 10 * (1 + 1)));
  });
});

import 'reflect-metadata';
import fc from 'fast-check';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { describe, expect, it } from 'vitest';
import { buildMirrorSchema } from '../../src/schema/build-schema.js';
import { costInputsOf, costKeyOf } from '../../src/server/limits/cost-inputs.js';
import { createCostCheck, MAX_COSTS_PER_OPERATION, pagedEstimator } from '../../src/server/limits/cost.plugin.js';

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

describe('the cost check, remembered per document', async () => {
  const schema = await buildMirrorSchema();
  const limits = { defaultPageSize: 50, maxPageSize: 500 };
  const fresh = (document: DocumentNode, variables: Record<string, unknown>) =>
    getComplexity({ schema, query: document, variables, estimators: [pagedEstimator(limits)] });
  /** What a check decides: the cost, or the error code it refuses with. */
  const outcome = (run: () => void): string => {
    try {
      run();
      return 'accepted';
    } catch (error) {
      return String((error as GraphQLError).extensions?.code);
    }
  };

  it('finds the variables a cost depends on, in fragments too, and no others', () => {
    const document = parse(`query($n: Int, $m: Int, $b: Boolean!, $s: Boolean!, $id: ID!, $w: PersonWhere, $r: [_Any!]!) {
      person(id: $id) { id }
      people(first: $n, where: $w) { nodes { ...F } }
      _entities(representations: $r) { __typename }
    }
    fragment F on Person { company @include(if: $b) { people(last: $m) @skip(if: $s) { nodes { id } } } }`);
    expect(costInputsOf(document)).toEqual(['b', 'm', 'n', 'r', 's']);
    expect(costInputsOf(parse('query($id: ID!) { person(id: $id) { id name } }'))).toEqual([]);
  });

  it('keys a list by its length, so a gateway\'s representations make a short key', () => {
    const representations = Array.from({ length: 300 }, (_, i) => ({ __typename: 'Person', id: String(i) }));
    expect(costKeyOf(['r'], { r: representations })).toBe('["list of 300"]');
    expect(costKeyOf(['n', 'b'], { n: 3 })).toBe('[3,"not given"]');
    expect(costKeyOf(['n'], { n: null })).toBe('[null]');
    expect(costKeyOf([], { id: '1' })).toBe('');
  });

  it('decides as a fresh costing does, request after request, whatever the variables (property)', () => {
    // $n has a default: not given (7) and null (the default page size, 50) must not share a cost.
    const query = `query($n: Int = 7, $b: Boolean!, $id: ID!) {
      person(id: $id) { id company @include(if: $b) { people(first: $n) { nodes { opportunities { nodes { id } } } } } }
      companies(first: $n) { nodes { id } }
    }`;
    const maxCost = 2_000;
    const check = createCostCheck(maxCost, limits);
    // One parsed document for every request, as Apollo's document cache hands it over.
    const document = parse(query);
    const variables = fc.record({
      n: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(null), fc.constant('ten'), fc.constant(2 ** 40)),
      b: fc.oneof(fc.boolean(), fc.constant('yes')),
      id: fc.oneof(fc.integer({ min: 1, max: 1e6 }).map(String), fc.constant({ not: 'an id' })),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(variables, { minLength: 1, maxLength: 40 }), (requests) => {
        for (const vars of requests) {
          const expected = outcome(() => {
            if (fresh(document, vars) > maxCost) throw new GraphQLError('over', { extensions: { code: 'COST_LIMIT_EXCEEDED' } });
          });
          const got = outcome(() => check({ document, schema, operationName: undefined, variables: vars }));
          // A fresh costing throws the graphql error itself (no code): the check gives it one.
          expect(got, JSON.stringify(vars)).toBe(expected === 'undefined' ? 'BAD_USER_INPUT' : expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('remembers at most MAX_COSTS_PER_OPERATION costs of one operation, and stays right beyond them', () => {
    const check = createCostCheck(10_000, limits);
    const document = parse('query($n: Int) { companies(first: $n) { nodes { people(first: $n) { nodes { id } } } } }');
    for (let n = 1; n <= MAX_COSTS_PER_OPERATION + 20; n++) {
      const expected = fresh(document, { n }) > 10_000 ? 'COST_LIMIT_EXCEEDED' : 'accepted';
      expect(outcome(() => check({ document, schema, operationName: undefined, variables: { n } })), `n = ${n}`).toBe(expected);
    }
    // The same values again, now from what was remembered.
    for (let n = 1; n <= MAX_COSTS_PER_OPERATION + 20; n++) {
      const expected = fresh(document, { n }) > 10_000 ? 'COST_LIMIT_EXCEEDED' : 'accepted';
      expect(outcome(() => check({ document, schema, operationName: undefined, variables: { n } })), `n = ${n}, again`).toBe(expected);
    }
  });
});

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { checkPageSize, type PageLimits } from '../../schema/data/page-request.js';

/**
 * Each field costs 1 plus its children; a field with a `first` argument (a connection or
 * list) multiplies its children by the page size it can return (`first`, else `last`, else
 * the default page size). Nested lists therefore multiply: 50 companies x 20 people x 50
 * opportunities costs about 50,000. Page sizes above the maximum fail here, before any SQL.
 */
export function pagedEstimator(limits: PageLimits): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    const pageSize = (name: string): number | undefined => (typeof args[name] === 'number' ? (args[name] as number) : undefined);
    checkPageSize('first', pageSize('first'), limits);
    checkPageSize('last', pageSize('last'), limits);
    const paged = field.args.some((a) => a.name === 'first');
    const multiplier = paged ? (pageSize('first') ?? pageSize('last') ?? limits.defaultPageSize) : 1;
    return 1 + childComplexity * multiplier;
  };
}

/** Costs remembered per variables of one parsed document; more variants than this start afresh. */
const MAX_VARIANTS_PER_DOCUMENT = 64;

export function costLimitPlugin(maxCost: number, limits: PageLimits): ApolloServerPlugin {
  const estimator = pagedEstimator(limits);
  // Apollo keeps parsed documents in its LRU cache and hands the same object to every request
  // with that text, so a document's cost is computed once per operation name and variables.
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let byVariables = known.get(document);
          if (!byVariables || byVariables.size >= MAX_VARIANTS_PER_DOCUMENT) known.set(document, (byVariables = new Map()));
          const key = JSON.stringify([request.operationName ?? null, request.variables ?? {}]);
          let cost = byVariables.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({ schema, query: document, operationName: request.operationName, variables: request.variables ?? {}, estimators: [estimator] });
              byVariables.set(key, cost);
            } catch (error) {
              // A page size over the maximum, or variables that do not fit their types: the request
              // is rejected before execution, so it is a 400 like any other invalid request.
              const code = error instanceof GraphQLError && error.extensions.code ? error.extensions.code : 'BAD_USER_INPUT';
              throw new GraphQLError(error instanceof Error ? error.message : String(error), {
                extensions: { code, http: { status: 400 } },
              });
            }
          }
          if (cost > maxCost) {
            throw new GraphQLError(`The operation costs ${cost}; the maximum is ${maxCost} (GRAPHQL_MAX_COST). Ask for smaller pages or fewer nested lists.`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

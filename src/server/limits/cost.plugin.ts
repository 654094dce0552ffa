import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { checkPageSize, type PageLimits } from '../../schema/data/page-request.js';
import { MAX_PAGE_BY_DEFAULT } from '../../schema/model/resource-models.js';
import { checkVariablesShape } from './variables-shape.js';

/**
 * Each field costs 1 plus its children; a field with a `first` argument (a connection or
 * list) multiplies its children by the page size it can return (`first`, else `last`, else
 * its default page size). Nested lists therefore multiply: 50 companies x 20 people x 50
 * opportunities costs about 50,000. `_entities` multiplies by its representations, as a list
 * of that many records does. Page sizes above the maximum fail here, before any SQL.
 */
export function pagedEstimator(limits: PageLimits): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    if (field.name === '_entities') {
      const representations = Array.isArray(args.representations) ? args.representations.length : 1;
      return 1 + childComplexity * representations;
    }
    const pageSize = (name: string): number | undefined => (typeof args[name] === 'number' ? (args[name] as number) : undefined);
    checkPageSize('first', pageSize('first'), limits);
    checkPageSize('last', pageSize('last'), limits);
    if (!field.args.some((a) => a.name === 'first')) return 1 + childComplexity;
    const fallback = MAX_PAGE_BY_DEFAULT.has(field.name) ? limits.maxPageSize : limits.defaultPageSize;
    return 1 + childComplexity * (pageSize('first') ?? pageSize('last') ?? fallback);
  };
}

/** What a cost check needs of a request: the parsed document, the operation to run and its variables. */
export interface CostedOperation {
  document: DocumentNode;
  schema: Parameters<typeof getComplexity>[0]['schema'];
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

/**
 * Refuses operations that cost more than `maxCost` (and variables of a shape nothing should
 * walk, see variables-shape.ts), before execution; used by Apollo (below) and by the gateway
 * for the supergraph operation (src/gateway/plugins/edge-limits.plugin.ts).
 *
 * The cost of an operation that declares no variables cannot change between requests, so it
 * is remembered per parsed document and operation name: Apollo and the gateway keep parsed
 * documents in an LRU cache and hand the same object to every request with that text. An
 * operation with variables is costed on every request: nothing derived from a client's
 * variables is kept.
 */
export function createCostCheck(maxCost: number, limits: PageLimits): (operation: CostedOperation) => void {
  const estimator = pagedEstimator(limits);
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  const costOf = ({ document, schema, operationName, variables }: CostedOperation) => {
    try {
      return getComplexity({ schema, query: document, operationName, variables: variables ?? {}, estimators: [estimator] });
    } catch (error) {
      // A page size over the maximum, or variables that do not fit their types: the request
      // is rejected before execution, so it is a 400 like any other invalid request.
      const code = error instanceof GraphQLError && error.extensions.code ? error.extensions.code : 'BAD_USER_INPUT';
      throw new GraphQLError(error instanceof Error ? error.message : String(error), { extensions: { code, http: { status: 400 } } });
    }
  };
  return (operation) => {
    checkVariablesShape(operation.variables);
    let cost: number;
    if (declaresVariables(operationOf(operation.document, operation.operationName))) {
      cost = costOf(operation);
    } else {
      let byName = known.get(operation.document);
      if (!byName) known.set(operation.document, (byName = new Map()));
      const key = operation.operationName ?? '';
      cost = byName.get(key) ?? costOf({ ...operation, variables: {} });
      byName.set(key, cost);
    }
    if (cost > maxCost) {
      throw new GraphQLError(`The operation costs ${cost}; the maximum is ${maxCost} (GRAPHQL_MAX_COST). Ask for smaller pages or fewer nested lists.`, {
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
      });
    }
  };
}

/** The cost check in Apollo's pipeline, once the operation is resolved (so its name is the document's own). */
export function costLimitPlugin(maxCost: number, limits: PageLimits): ApolloServerPlugin {
  const check = createCostCheck(maxCost, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          check({ document, schema, operationName: request.operationName ?? undefined, variables: request.variables });
        },
      };
    },
  };
}

/** The operation a request runs: the named one, or the only one. */
function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return operationName === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === operationName);
}

const declaresVariables = (operation: OperationDefinitionNode | undefined): boolean => (operation?.variableDefinitions?.length ?? 0) > 0;

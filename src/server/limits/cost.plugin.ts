import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { changesPageSize } from '../../schema/changes/change-page-size.js';
import { checkPageSize, type PageLimits } from '../../schema/data/page-request.js';
import { MAX_PAGE_BY_DEFAULT } from '../../schema/model/resource-models.js';
import { costInputsOf, costKeyOf } from './cost-inputs.js';
import { checkVariablesShape } from './variables-shape.js';

/**
 * Each field costs 1 plus its children; a field with a `first` argument (a connection or
 * list) multiplies its children by the page size it can return (`first`, else `last`, else
 * its default page size). Nested lists therefore multiply: 50 companies x 20 people x 50
 * opportunities costs about 50,000. `_entities` multiplies by its representations, as a list
 * of that many records does. Page sizes above the maximum fail here, before any SQL.
 */
export function pagedEstimator(limits: PageLimits): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.name === '_entities') {
      const representations = Array.isArray(args.representations) ? args.representations.length : 1;
      return 1 + childComplexity * representations;
    }
    // The change log pages by its own bounds (a change is a few small columns), checked here as the resolver checks them.
    if (field.name === 'changes' && type.name === 'Query') return 1 + childComplexity * changesPageSize(args.first);
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
 * Costing walks the whole document with type information: a sixth of the CPU of a request for
 * one record by id. So a cost is remembered per parsed document (Apollo and the gateway keep
 * parsed documents in an LRU cache and hand the same object to every request with that text),
 * operation name and the values of the variables it depends on (cost-inputs.ts: page sizes,
 * `@include`/`@skip` conditions, the number of representations), at most
 * MAX_COSTS_PER_OPERATION of them; `person(id: $id)` is costed once for every id. Variables
 * that do not fit their types are found on every request, by the same coercion the full
 * costing runs, and the full costing then reports them.
 */
export function createCostCheck(maxCost: number, limits: PageLimits): (operation: CostedOperation) => void {
  const estimator = pagedEstimator(limits);
  const known = new WeakMap<DocumentNode, Map<string, KnownCosts>>();
  const costOf = ({ document, schema, operationName, variables }: CostedOperation) => {
    try {
      return getComplexity({ schema, query: document, operationName, variables: variables ?? {}, estimators: [estimator] });
    } catch (error) {
      throw asRequestError(error);
    }
  };
  const knownCostsOf = (operation: CostedOperation): KnownCosts => {
    let byName = known.get(operation.document);
    if (!byName) known.set(operation.document, (byName = new Map()));
    const name = operation.operationName ?? '';
    let costs = byName.get(name);
    if (!costs) {
      const definition = operationOf(operation.document, operation.operationName);
      costs = { definition, inputs: costInputsOf(operation.document), byKey: new Map() };
      byName.set(name, costs);
    }
    return costs;
  };
  const cachedCostOf = (operation: CostedOperation): number => {
    const costs = knownCostsOf(operation);
    const definitions = costs.definition?.variableDefinitions ?? [];
    // Variables that do not fit their types are refused here, on the first bad value:
    // graphql-query-complexity coerces them with no bound on errors, a GraphQLError and a stack
    // trace per bad value (5,000 of them blocked the event loop for seconds).
    const coerced = definitions.length > 0 ? getVariableValues(operation.schema, definitions, operation.variables ?? {}, { maxErrors: 1 }) : undefined;
    if (coerced?.errors) throw asRequestError(coerced.errors[0]);
    const key = costKeyOf(costs.inputs, operation.variables);
    const remembered = costs.byKey.get(key);
    if (remembered !== undefined) return remembered;
    const cost = costOf(operation);
    if (costs.byKey.size < MAX_COSTS_PER_OPERATION) costs.byKey.set(key, cost);
    return cost;
  };
  return (operation) => {
    checkVariablesShape(operation.variables);
    const cost = cachedCostOf(operation);
    if (cost > maxCost) {
      throw new GraphQLError(`The operation costs ${cost}; the maximum is ${maxCost} (GRAPHQL_MAX_COST). Ask for smaller pages or fewer nested lists.`, {
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
      });
    }
  };
}

/** How many costs one operation of one document keeps (one per combination of its cost inputs' values). */
export const MAX_COSTS_PER_OPERATION = 32;

interface KnownCosts {
  definition: OperationDefinitionNode | undefined;
  inputs: readonly string[];
  byKey: Map<string, number>;
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

/**
 * A page size over the maximum, or variables that do not fit their types: the request is
 * rejected before execution, so it is a 400 like any other invalid request.
 */
function asRequestError(error: unknown): GraphQLError {
  const code = error instanceof GraphQLError && error.extensions.code ? error.extensions.code : 'BAD_USER_INPUT';
  return new GraphQLError(error instanceof Error ? error.message : String(error), { extensions: { code, http: { status: 400 } } });
}

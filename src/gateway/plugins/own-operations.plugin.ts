import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GraphQLSchema } from 'graphql';
import type { OperationRunner } from '../../server/jit-executor.js';
import { subgraphDuration, subgraphRequests } from '../../observability/metrics.js';
import { mirrorContextOf } from '../gateway-context.js';
import { outcomeOf } from '../subgraph-outcome.js';
import { shapeSubgraphErrors } from '../gateway-errors.js';
import { logErrors } from '../in-process-subgraph.js';
import { OwnOperations } from '../own-operations.js';
import { perSupergraph } from '../per-supergraph.js';
import type { SupergraphSource } from '../supergraph-source.js';

/**
 * Operations that only our subgraph can answer (own-operations.ts) run on it directly, as
 * `/subgraph` runs them: validated against the supergraph first (Yoga did that), limited at the
 * edge (the limits plugin ran), executed by the same runner and loaders, errors shaped by the
 * gateway's rules after. Anything that touches another subgraph, or introspects, is planned.
 * The decision is made once per document and supergraph.
 */
export function ownOperationsPlugin(source: SupergraphSource, subgraphSchema: GraphQLSchema, run: OperationRunner, mask: boolean): GatewayPlugin {
  const current = perSupergraph(source, ({ sdl, config }) => new OwnOperations(sdl, config.self.name, subgraphSchema));
  return {
    onExecute({ args, setExecuteFn }) {
      const context = mirrorContextOf(args.contextValue);
      if (!context || !current().isOurs(args.document, args.schema)) return;
      setExecuteFn(async (execution) => {
        const operationName = execution.operationName ?? undefined;
        // Counted as the one plan step it stands for, so our subgraph's metrics see every request.
        const subgraph = source.current.config.self.name;
        const stop = subgraphDuration.startTimer({ subgraph });
        const result = await run({ document: execution.document, operationName, variables: (execution.variableValues ?? {}) as Record<string, unknown>, contextValue: context });
        stop();
        subgraphRequests.inc({ subgraph, outcome: outcomeOf(result) });
        if (!result.errors) return result;
        logErrors(context, result.errors, operationName);
        return shapeSubgraphErrors(result, mask);
      });
    },
  };
}

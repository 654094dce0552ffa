import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { subgraphDuration, subgraphRequests } from '../../observability/metrics.js';
import { outcomeOf, type SubgraphOutcome } from '../subgraph-outcome.js';

/** Notified of every subgraph answer, so /readyz can tell which subgraph last failed. */
export type SubgraphOutcomeListener = (subgraph: string, outcome: SubgraphOutcome) => void;

/**
 * Per subgraph: requests by outcome and their latency (`mirrorgraph_subgraph_*`), measured
 * around each plan step the gateway sends, whichever transport carries it. Subgraph names
 * come from the supergraph config, so the label set is bounded by it.
 */
export function subgraphMetricsPlugin(listener?: SubgraphOutcomeListener): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName }) {
      const stop = subgraphDuration.startTimer({ subgraph: subgraphName });
      return ({ result }) => {
        stop();
        // A subscription's stream: counted once, as it opens.
        const outcome = Symbol.asyncIterator in result ? 'ok' : outcomeOf(result);
        subgraphRequests.inc({ subgraph: subgraphName, outcome });
        listener?.(subgraphName, outcome);
      };
    },
  };
}

import type { ExecutionResult, GraphQLError } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { graphqlDuration, graphqlRequests } from '../../observability/metrics.js';
import { operationLabel } from '../../server/plugins/metrics.plugin.js';
import type { GatewayServerContext } from '../gateway-context.js';
import { rebuilt } from '../gateway-errors.js';

/**
 * The last step of a supergraph response, as Apollo's plugins do it on `/subgraph`: every
 * error carries the request id (also in the log and the `x-request-id` header), the masked
 * personal fields of our subgraph are listed under `extensions.masked`, and the request is
 * counted and timed in `mirrorgraph_graphql_*`.
 */
export function responsePlugin(): GatewayPlugin {
  return {
    onResultProcess({ result, setResult, serverContext }) {
      const context = serverContext as Partial<GatewayServerContext>;
      if (!context.mirror || !isSingle(result)) return;
      const { requestId, access } = context.mirror;
      const masked = access.masked;
      const shaped: ExecutionResult = {
        ...result,
        ...(result.errors ? { errors: result.errors.map((error) => withRequestId(error, requestId)) } : {}),
        ...(masked.size ? { extensions: { ...result.extensions, masked: { fields: [...masked].sort(), scope: 'read:pii' } } } : {}),
      };
      setResult(shaped);
      const label = operationLabel(context.operationName, context.operationName !== undefined || !result.errors);
      graphqlRequests.inc({ operation: label, outcome: result.errors?.length ? 'error' : 'ok' });
      context.stopTimer?.({ operation: label });
    },
  };
}

export const startRequestTimer = () => graphqlDuration.startTimer();

const isSingle = (result: unknown): result is ExecutionResult =>
  typeof result === 'object' && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);

const withRequestId = (error: GraphQLError, requestId: string): GraphQLError => rebuilt(error, error.message, { ...error.extensions, requestId });

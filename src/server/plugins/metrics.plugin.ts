import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlDuration, graphqlRequests } from '../../observability/metrics.js';

/** Operation label: the parsed operation's name, cut to 64 characters; "anonymous" or "unparsed" otherwise. */
function operationLabel(operationName: string | null | undefined, parsed: boolean): string {
  if (!parsed) return 'unparsed';
  return operationName ? operationName.slice(0, 64) : 'anonymous';
}

/** Counts every GraphQL request by operation and outcome and times it. */
export function metricsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const stop = graphqlDuration.startTimer();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const label = operationLabel(operationName ?? operation?.name?.value, !!operation);
          const failed = !!errors?.length || (response.body.kind === 'single' && !!response.body.singleResult.errors?.length);
          graphqlRequests.inc({ operation: label, outcome: failed ? 'error' : 'ok' });
          stop({ operation: label });
        },
      };
    },
  };
}

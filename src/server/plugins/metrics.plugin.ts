import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlDuration, graphqlRequests } from '../../observability/metrics.js';

/**
 * Operation names are chosen by clients, so the label set is bounded: the first
 * MAX_OPERATION_LABELS distinct names are kept, later ones count as "other".
 */
const MAX_OPERATION_LABELS = 200;
const seenOperations = new Set<string>();

/** Operation label: the parsed operation's name, cut to 64 characters; "anonymous" or "unparsed" otherwise. */
export function operationLabel(operationName: string | null | undefined, parsed: boolean): string {
  if (!parsed) return 'unparsed';
  if (!operationName) return 'anonymous';
  const name = operationName.slice(0, 64);
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return 'other';
  seenOperations.add(name);
  return name;
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

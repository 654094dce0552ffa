import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/** Where subscriptions run, for the refusal below and the docs. */
export const SUBSCRIPTION_TRANSPORT_HINT =
  'Subscriptions run over WebSocket: connect a graphql-ws client (subprotocol graphql-transport-ws) to ws:// or wss:// on this same /graphql path';

/**
 * Refuses a subscription sent over HTTP, saying where to send it: HTTP has no stream to carry
 * its events, and without this rule Apollo and the gateway would each fail it their own way.
 */
export function httpSubscriptionRule(): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      if (node.operation !== 'subscription') return;
      context.reportError(new GraphQLError(`${SUBSCRIPTION_TRANSPORT_HINT}; over HTTP only queries and mutations run.`, { nodes: [node] }));
    },
  });
}

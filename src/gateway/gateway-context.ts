import type { GraphQLContext } from '../schema/context.js';

/**
 * What the Fastify route hands the gateway with each request (Yoga's server context): our
 * resolvers' context, built once per request before the plan runs so that every plan step on
 * our subgraph shares its loaders and the caller's access rules.
 */
export interface GatewayServerContext {
  mirror: GraphQLContext;
  /** As the client sent it, for the metrics label; the document may still turn out not to define it. */
  operationName: string | undefined;
  stopTimer?: (labels: { operation: string }) => void;
}

export function mirrorContextOf(context: unknown): GraphQLContext | undefined {
  return typeof context === 'object' && context !== null && 'mirror' in context ? (context as GatewayServerContext).mirror : undefined;
}

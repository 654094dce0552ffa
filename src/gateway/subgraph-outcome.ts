import type { ExecutionResult, GraphQLError } from 'graphql';

export type SubgraphOutcome = 'ok' | 'error' | 'unavailable';

/**
 * Codes the gateway's transports give an error when the subgraph gave no GraphQL answer at all:
 * the connection failed or was refused, the answer was not GraphQL over HTTP, or the subgraph
 * took longer than its timeout. (Not DOWNSTREAM_SERVICE_ERROR: the gateway gives that to any
 * error a subgraph answered with that had no code of its own.)
 */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['SUBREQUEST_HTTP_ERROR', 'TIMEOUT_ERROR', 'GATEWAY_TIMEOUT']);

export const codeOf = (error: Pick<GraphQLError, 'extensions'>): string | undefined =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;

export function outcomeOf(result: ExecutionResult): SubgraphOutcome {
  if (!result.errors?.length) return 'ok';
  return result.errors.some((error) => UNAVAILABLE_CODES.has(codeOf(error) ?? '')) ? 'unavailable' : 'error';
}

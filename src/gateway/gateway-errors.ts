import { GraphQLError, type ExecutionResult } from 'graphql';
import { excerpt } from '../errors/excerpt.js';
import { CLIENT_ERROR_CODES } from '../schema/errors.js';
import { MASKED_MESSAGE } from '../server/plugins/errors.plugin.js';
import { codeOf, UNAVAILABLE_CODES } from './subgraph-outcome.js';

/** graphql-js's message for a literal argument that does not coerce (execution/values.js). */
const ARGUMENT_COERCION = /^Argument "[^"]+" has invalid value /;

/** Error messages may repeat client input: never at full length (as on the subgraph). */
const MAX_MESSAGE_LENGTH = 1_000;

/**
 * Extensions the gateway's transports attach that must not reach a client: the request sent
 * to the subgraph (its body holds the client's variables and the entity representations) and
 * the response it got.
 */
const INTERNAL_EXTENSIONS = new Set(['request', 'response', 'stacktrace']);

/**
 * What a client sees of an error in a supergraph response, by the subgraph's rules
 * (errors.plugin.ts): an error raised for the client (bad input, FORBIDDEN, a subgraph's own
 * GraphQL error) passes with a bounded message; anything unexpected is reduced to
 * INTERNAL_SERVER_ERROR when masking. A subgraph that gave no answer is named, so a client
 * knows which part of a partial response is missing: `SUBGRAPH_UNAVAILABLE` with the subgraph's
 * name, and the transport's reason only when not masking (it holds internal hosts and ports).
 */
export function shapeGatewayError(error: unknown, mask: boolean): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    return new GraphQLError(mask ? MASKED_MESSAGE : excerpt(error instanceof Error ? error.message : String(error), MAX_MESSAGE_LENGTH), { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  const code = codeOf(error);
  if (code && UNAVAILABLE_CODES.has(code)) {
    const subgraph = typeof error.extensions.serviceName === 'string' ? error.extensions.serviceName : 'unknown';
    const reason = mask ? '' : `: ${excerpt(error.message, 200)}`;
    return rebuilt(error, `Subgraph "${subgraph}" did not answer${reason}`, { code: 'SUBGRAPH_UNAVAILABLE', subgraph });
  }
  // graphql-js's coercion of the client's variables (run by the gateway before any plan): bad input, as Apollo says.
  if (code === undefined && error.originalError == null && /^Variable "\$[^"]*" /.test(error.message)) {
    return rebuilt(error, excerpt(error.message, MAX_MESSAGE_LENGTH), { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } });
  }
  const unexpected = error.originalError !== undefined && error.originalError !== null && !(error.originalError instanceof GraphQLError);
  if (unexpected && mask) return rebuilt(error, MASKED_MESSAGE, { code: 'INTERNAL_SERVER_ERROR' });
  const extensions = Object.fromEntries(Object.entries(error.extensions).filter(([key]) => !INTERNAL_EXTENSIONS.has(key)));
  return rebuilt(error, excerpt(error.message, MAX_MESSAGE_LENGTH), extensions);
}

/** The same error (where, path) with another message and extensions: a GraphQLError's are read-only. */
export function rebuilt(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/**
 * Our subgraph's errors as `/subgraph` would report them, before they leave for the gateway
 * (which would tag any error without a code DOWNSTREAM_SERVICE_ERROR): a result without data
 * failed on its variables (BAD_USER_INPUT, as Apollo says; the gateway checks only that a
 * custom scalar is a scalar, so a malformed DateTime is found here), client errors keep their
 * code, and anything else is INTERNAL_SERVER_ERROR, its message masked when errors are.
 */
export function shapeSubgraphErrors(result: ExecutionResult, mask: boolean): ExecutionResult {
  const requestFailed = result.data === undefined;
  const errors = result.errors?.map((error) => {
    const code = codeOf(error);
    if (code && CLIENT_ERROR_CODES.has(code)) return error;
    if (requestFailed && !code) return rebuilt(error, error.message, { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } });
    // A literal argument its scalar refuses (`closeDate: {in: ["0000-00-00"]}`): the gateway's
    // validation sees only that a custom scalar is a scalar, so graphql-js finds it while executing
    // the field (and locatedError wraps its GraphQLError). The client's input, not our failure.
    if (!code && (error.originalError == null || error.originalError instanceof GraphQLError) && ARGUMENT_COERCION.test(error.message)) {
      return rebuilt(error, excerpt(error.message, MAX_MESSAGE_LENGTH), { ...error.extensions, code: 'BAD_USER_INPUT' });
    }
    return rebuilt(error, mask ? MASKED_MESSAGE : error.message, mask ? { code: 'INTERNAL_SERVER_ERROR' } : { ...error.extensions, code: 'INTERNAL_SERVER_ERROR' });
  });
  return { ...result, errors };
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../logger.js';
import type { GraphQLContext } from '../../schema/context.js';
import { excerpt } from '../../errors/excerpt.js';
import { CLIENT_ERROR_CODES } from '../../schema/errors.js';

export const MASKED_MESSAGE = 'Internal server error';

const codeOf = (error: { extensions?: Record<string, unknown> | undefined }): string =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';

/** Error messages may repeat client input (an unknown operation name, a value): never at full length. */
const MAX_MESSAGE_LENGTH = 1_000;

/**
 * A client-facing error unchanged but for an overlong message; anything else reduced to a code
 * (and request id) when masking.
 */
export function maskError(error: GraphQLFormattedError, mask: boolean, requestId?: string): GraphQLFormattedError {
  const id = requestId ? { requestId } : {};
  if (!mask || CLIENT_ERROR_CODES.has(codeOf(error))) {
    const extensions: Record<string, unknown> = { ...error.extensions, ...id };
    // A development stack trace starts with the message again.
    if (Array.isArray(extensions.stacktrace)) extensions.stacktrace = extensions.stacktrace.map((line) => excerpt(String(line), MAX_MESSAGE_LENGTH));
    return { ...error, message: excerpt(error.message, MAX_MESSAGE_LENGTH), extensions };
  }
  return { message: MASKED_MESSAGE, locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR', ...id } };
}

/** One GraphQL error in the log: a client error at info with its message cut short, the rest at error with the original error and its stack. */
export function logGraphQLError(logger: Logger, error: GraphQLError, operationName: string | undefined, where: Record<string, unknown> = {}): void {
  const code = codeOf(error);
  const fields = { code, path: error.path, operationName: operationName === undefined ? undefined : excerpt(operationName), ...where };
  if (CLIENT_ERROR_CODES.has(code)) logger.info({ ...fields, message: excerpt(error.message) }, 'GraphQL client error');
  else logger.error({ ...fields, err: error.originalError ?? error }, 'GraphQL error');
}

/**
 * Logs every GraphQL error with the request id (client errors at info, the rest at error with
 * the original error and its stack) and, when masking, replaces what clients see of internal
 * errors with INTERNAL_SERVER_ERROR and that request id, nothing else: no SQL, stack or path.
 */
export function errorsPlugin(mask: boolean): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, request }) {
          for (const error of errors) logGraphQLError(contextValue.logger, error, request.operationName ?? undefined);
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => maskError(e, mask, contextValue.requestId));
        },
      };
    },
  };
}

import { GraphQLError } from 'graphql';

/**
 * The errors the schema raises on purpose. Each carries a code clients can branch on; any other
 * error is a bug or an outage and reaches clients as INTERNAL_SERVER_ERROR (masked when
 * GRAPHQL_MASK_ERRORS is on).
 */
/** An argument the client must change. Raised while executing, so the response stays 200 with `data`. */
export const badInput = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

export const unauthenticated = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export const forbidden = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

/** The database did not answer in time (a read timeout): worth retrying later; the message names the setting. */
export const databaseTimeout = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'DATABASE_TIMEOUT' } });

/** The process serves its maximum of subscriptions (MAX_SUBSCRIPTIONS): worth retrying later or elsewhere. */
export const tooManySubscriptions = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });

/** Codes whose messages are written for clients and are never masked. */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'COST_LIMIT_EXCEEDED',
  'DATABASE_TIMEOUT',
  'TOO_MANY_SUBSCRIPTIONS',
]);

import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { AppConfig } from '../../config.js';
import { aliasLimitRule } from '../limits/alias.rule.js';
import { depthLimitRule } from '../limits/depth.rule.js';
import { finiteFloatRule } from '../limits/finite-float.rule.js';

export type CheckedOperation = { document: DocumentNode; operationName: string | undefined; variables: Record<string, unknown> | undefined } | { errors: readonly GraphQLError[] };

const ONLY_SUBSCRIPTIONS = 'Over WebSocket only subscriptions run: send queries and mutations to POST /graphql';

/**
 * A subscribe message's operation, held to the limits HTTP holds it to (tokens, depth, aliases,
 * finite floats): parsed and validated, or the errors to send back. Queries and mutations are
 * refused here, so that the edge (rate limits, trusted documents, the cost limit) stays the
 * one way in for them.
 */
export function subscriptionChecker(schema: GraphQLSchema, server: AppConfig['server']): (payload: SubscribePayload) => CheckedOperation {
  const rules: ValidationRule[] = [...specifiedRules, depthLimitRule(server.maxDepth), aliasLimitRule(server.maxAliases), finiteFloatRule()];
  return (payload) => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: server.maxTokens });
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    const errors = validate(schema, document, rules);
    if (errors.length) return { errors };
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return { errors: [new GraphQLError(operationName ? `No operation named ${JSON.stringify(operationName.slice(0, 80))} in the document` : 'Send one operation, or name the one to run (operationName)')] };
    if (operation.operation !== 'subscription') return { errors: [new GraphQLError(ONLY_SUBSCRIPTIONS, { nodes: [operation] })] };
    const variables = payload.variables ?? undefined;
    return { document, operationName, variables: variables as Record<string, unknown> | undefined };
  };
}

import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GraphQLContext } from '../schema/context.js';
import type { OperationRunner } from '../server/jit-executor.js';
import { CLIENT_ERROR_CODES } from '../schema/errors.js';
import { excerpt } from '../errors/excerpt.js';
import { MASKED_MESSAGE } from '../server/plugins/errors.plugin.js';
import { mirrorContextOf } from './gateway-context.js';

/** The transport kind the gateway's supergraph names for our own subgraph. */
export const IN_PROCESS_KIND = 'mirrorgraph-in-process';

/** What the gateway hands a subgraph executor (a structural subset of graphql-tools' ExecutionRequest). */
export interface SubgraphRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context?: unknown;
}

/**
 * Our own subgraph as the gateway sees it: the plan's requests to it run in this process, on the
 * same executor and loaders as `/subgraph`, without serialising anything to JSON or opening a
 * socket. Every step of one plan shares the request's context, so its loaders batch and cache
 * across steps, and the access rules are the caller's: the principal the edge authenticated,
 * not a header the gateway forwards to itself.
 */
export function inProcessSubgraphExecutor(run: OperationRunner, mask: boolean): <TReturn>(request: SubgraphRequest) => Promise<ExecutionResult<TReturn>> {
  const documents = new DocumentInterner(MAX_INTERNED_DOCUMENTS);
  const execute = async (request: SubgraphRequest): Promise<ExecutionResult> => {
    const context = mirrorContextOf(request.context);
    if (!context) {
      // A gateway-internal call (there are none for a supergraph given as SDL); never run unauthenticated.
      return { errors: [new GraphQLError('The in-process subgraph was called outside a request', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
    }
    const result = await run({ document: documents.intern(request.document), operationName: request.operationName, variables: request.variables ?? {}, contextValue: context });
    if (!result.errors) return result;
    logErrors(context, result.errors, request.operationName);
    return shapeSubgraphErrors(result, mask);
  };
  // The gateway's executor type is generic in the data it expects; ours is whatever the plan asked for.
  return execute as <TReturn>(request: SubgraphRequest) => Promise<ExecutionResult<TReturn>>;
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
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;
    if (code && CLIENT_ERROR_CODES.has(code)) return error;
    if (requestFailed && !code) return rebuilt(error, error.message, { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } });
    return rebuilt(error, mask ? MASKED_MESSAGE : error.message, mask ? { code: 'INTERNAL_SERVER_ERROR' } : { ...error.extensions, code: 'INTERNAL_SERVER_ERROR' });
  });
  return { ...result, errors };
}

function rebuilt(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/** Distinct plan-step documents kept: the operations a deployment runs, not one per request. */
const MAX_INTERNED_DOCUMENTS = 1_000;

/**
 * The gateway builds a new document object for every plan step of every request, even when the
 * step's text is the same; the executor compiles a document with graphql-jit once it has seen
 * that object run a few times (jit-executor.ts). Interning by printed text hands it the same
 * object for the same step, so the gateway's steps are compiled as `/subgraph`'s operations are.
 * Least recently used documents leave first.
 */
class DocumentInterner {
  private readonly byText = new Map<string, DocumentNode>();

  constructor(private readonly max: number) {}

  intern(document: DocumentNode): DocumentNode {
    const text = print(document);
    const known = this.byText.get(text);
    if (known) {
      this.byText.delete(text);
      this.byText.set(text, known);
      return known;
    }
    if (this.byText.size >= this.max) this.byText.delete(this.byText.keys().next().value!);
    this.byText.set(text, document);
    return document;
  }
}

/** As the subgraph's errors plugin logs them: client errors at info, the rest with their cause. */
export function logErrors(context: GraphQLContext, errors: readonly GraphQLError[], operationName: string | undefined): void {
  for (const error of errors) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
    const where = { code, path: error.path, operationName: operationName && excerpt(operationName), subgraph: 'in-process' };
    if (CLIENT_ERROR_CODES.has(code)) context.logger.info({ ...where, message: excerpt(error.message) }, 'GraphQL client error');
    else context.logger.error({ ...where, err: error.originalError ?? error }, 'GraphQL error');
  }
}

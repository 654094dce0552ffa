import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GraphQLContext } from '../schema/context.js';
import type { OperationRunner } from '../server/jit-executor.js';
import { logGraphQLError } from '../server/plugins/errors.plugin.js';
import { mirrorContextOf } from './gateway-context.js';
import { shapeSubgraphErrors } from './gateway-errors.js';

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

/** As the subgraph's errors plugin logs them, marked as run for the gateway. */
export function logErrors(context: GraphQLContext, errors: readonly GraphQLError[], operationName: string | undefined): void {
  for (const error of errors) logGraphQLError(context.logger, error, operationName, { subgraph: 'in-process' });
}

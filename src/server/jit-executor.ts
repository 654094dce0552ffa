import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { graphqlExecutions } from '../observability/metrics.js';
import { createSqlPath, type SqlPath } from '../schema/compiled/sql-path.js';
import { JitSafety } from './jit-safety.js';

/**
 * Runs operations through graphql-jit, which compiles an operation into one JavaScript function
 * per document instead of interpreting the document field by field as graphql-js does. On the
 * nested benchmark query it cut the server's CPU per request by more than a third (BENCHMARKS.md):
 * arguments are coerced once per field site rather than once per parent, and far fewer
 * promises are made.
 *
 * Apollo Server 5 takes a custom executor only through its `gateway` option (its documented
 * replacement for the removed `executor` option); the "gateway" here only hands Apollo the
 * schema and this executor. Apollo still parses, validates (depth, aliases, introspection),
 * runs the plugins and formats errors exactly as before.
 *
 * A document is interpreted by graphql-js until it has run `compileAfter` times, then compiled
 * and the compiled function kept for as long as Apollo's document cache keeps the document, as
 * Mercurius does: compiling costs milliseconds, which a one-off query would never earn back.
 * An operation graphql-jit cannot compile safely (see jit-safety.ts) is interpreted every run.
 */
export interface JitOptions {
  readonly compileAfter: number;
}

/** GRAPHQL_EXECUTOR=graphql-js never compiles; jit compiles after GRAPHQL_JIT_AFTER interpreted runs. */
export const jitOptionsOf = (server: { executor: 'jit' | 'graphql-js'; jitAfter: number }): JitOptions => ({
  compileAfter: server.executor === 'jit' ? server.jitAfter : Infinity,
});

/** GRAPHQL_SQL_COMPILE=auto: one statement per query where the database builds JSON answers (MariaDB 10.6+; see src/schema/compiled/). */
export const sqlPathOf = (schema: GraphQLSchema, server: { sqlCompile: 'auto' | 'off' }): SqlPath | undefined =>
  server.sqlCompile === 'auto' ? createSqlPath(schema) : undefined;

/** What was decided for an operation of a document: compiled, refused by graphql-jit, or never to compile. */
type Decision = CompiledQuery | ExecutionResult | 'interpret';

interface DocumentState {
  runs: number;
  /** By operation name; Apollo hands over only names the document defines, so this stays small. */
  readonly decided: Map<string, Decision>;
}

/** One operation to run: what both Apollo's executor hook and the gateway's in-process subgraph hand over. */
export interface OperationToRun {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  readonly contextValue: unknown;
}

export type OperationRunner = (operation: OperationToRun) => Promise<ExecutionResult>;

/**
 * The executor itself, for any caller that holds parsed documents: a document's state lives as
 * long as the caller keeps that document object (Apollo's document cache; the gateway's plans).
 */
export function createOperationRunner(schema: GraphQLSchema, options: JitOptions, sqlPath?: SqlPath): OperationRunner {
  // Apollo hands every request with the same query text the same parsed document (its LRU
  // document store), so a WeakMap on the document keeps exactly what Apollo keeps.
  const documents = new WeakMap<DocumentNode, DocumentState>();
  const safety = new JitSafety(schema);

  const compiledFor = (document: DocumentNode, operationName: string | undefined): Decision | undefined => {
    let state = documents.get(document);
    if (!state) documents.set(document, (state = { runs: 0, decided: new Map() }));
    const key = operationName ?? '';
    const found = state.decided.get(key);
    if (found) return found;
    if (state.runs++ < options.compileAfter) return undefined;
    const decision = safety.refusal(document, operationName) === null ? compileQuery(schema, document, operationName) : 'interpret';
    state.decided.set(key, decision);
    return decision;
  };

  return async (operation) => {
    // One statement for the whole answer where the database can build it (src/schema/compiled/).
    const answered = sqlPath ? await sqlPath(operation) : null;
    if (answered) return answered;
    const { document, operationName, variables, contextValue } = operation;
    const compiled = compiledFor(document, operationName);
    if (compiled && compiled !== 'interpret' && isCompiledQuery(compiled)) {
      graphqlExecutions.inc({ executor: 'jit' });
      const result = await compiled.query(undefined, contextValue, variables);
      return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
    }
    // Not compiled yet, not safe to compile, or refused by graphql-jit: graphql-js runs it and reports its own errors.
    graphqlExecutions.inc({ executor: 'graphql-js' });
    return execute({ schema, document, contextValue, variableValues: variables, operationName });
  };
}

/** The runner as Apollo Server's executor. */
export function createJitExecutor(schema: GraphQLSchema, options: JitOptions, sqlPath?: SqlPath): GatewayExecutor {
  const run = createOperationRunner(schema, options, sqlPath);
  return async ({ document, request, context }) =>
    run({ document, operationName: request.operationName ?? undefined, variables: request.variables ?? {}, contextValue: context });
}

/**
 * graphql-jit's own GraphQLError leaves `extensions` undefined when the error thrown had none
 * (a TypeError, a database error); Apollo's error formatting, like graphql-js, expects an
 * object there. Such errors become graphql-js errors with the same message, locations, path
 * and original error.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

/** The minimal `gateway` Apollo Server needs to use `executor` on `schema`. */
export function executorGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}

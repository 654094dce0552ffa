import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { graphqlExecutions } from '../../observability/metrics.js';
import type { OperationToRun } from '../../server/jit-executor.js';
import type { GraphQLContext } from '../context.js';
import { run } from '../data/run.js';
import { buildsJsonAnswers } from './json-capability.js';
import { CompiledCache, compiledKey, REFUSED } from './compiled-cache.js';
import { compileOperation, type CompiledOperation } from './compile-operation.js';
import { NotCompiled } from './not-compiled.js';

/** Answers an operation with one statement, or returns null for the executor to run it on the loaders (always, on a database that cannot build JSON answers). */
export type SqlPath = (operation: OperationToRun) => Promise<ExecutionResult | null>;

/**
 * The compiled path in front of the executor. It answers only what it can answer exactly as the
 * loaders would: an operation it does not cover, one the loaders would answer with an error, or a
 * statement that fails for any reason but a timeout, go to the loaders, which then report what
 * there is to report. A timeout is reported at once, as the loaders report it (DATABASE_TIMEOUT on
 * each root field): running the loaders after it would only double the wait on a stalled database.
 */
export function createSqlPath(schema: GraphQLSchema): SqlPath {
  const cache = new CompiledCache();
  const compile = (operation: OperationToRun, context: GraphQLContext): CompiledOperation | typeof REFUSED => {
    try {
      return compileOperation(schema, operation.document, operation.operationName, operation.variables, context);
    } catch (error) {
      if (error instanceof NotCompiled || error instanceof GraphQLError) context.logger.debug({ reason: error.message }, 'not compiled to one statement; the loaders answer');
      else context.logger.warn({ err: error }, 'the SQL compiler failed; the loaders answer');
      return REFUSED;
    }
  };
  return async (operation) => {
    const context = operation.contextValue as GraphQLContext;
    const db = context.reader.database;
    if (!buildsJsonAnswers(db.dataSource)) return null;
    const key = compiledKey(operation.operationName, db.access.principal, operation.variables);
    let compiled = key === undefined ? undefined : cache.get(operation.document, key);
    if (!compiled) {
      compiled = compile(operation, context);
      if (key !== undefined) cache.set(operation.document, key, compiled);
    }
    if (compiled === REFUSED) return null;
    for (const coordinate of compiled.masked) db.access.masked.add(coordinate);
    try {
      const data = compiled.finish(await run(db, compiled.statement));
      graphqlExecutions.inc({ executor: 'sql' });
      return { data };
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'DATABASE_TIMEOUT') {
        graphqlExecutions.inc({ executor: 'sql' });
        const errors = compiled.roots.map((root) => new GraphQLError(error.message, { path: [root.key], extensions: error.extensions, originalError: error }));
        const data = compiled.roots.every((root) => root.nullable) ? Object.fromEntries(compiled.roots.map((root) => [root.key, null])) : null;
        return { data, errors };
      }
      // An answer too large for one JSON value is the loaders' by design; anything else is worth a warning.
      if (error instanceof NotCompiled) context.logger.debug({ reason: error.message }, 'too large for one statement; the loaders answer');
      else context.logger.warn({ err: error }, 'the compiled statement failed; the loaders answer');
      return null;
    }
  };
}

import { getOperationAST, getVariableValues, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields.js';
import type { Row } from '../data/run.js';
import { join, raw, sql, type Sql } from '../data/sql.js';
import type { GraphQLContext } from '../context.js';
import { RESOURCE_MODELS, type ResourceModel } from '../model/resource-models.js';
import { Masking } from './masking.js';
import { notCompiled } from './not-compiled.js';
import { SelectionCompiler, type Finish } from './selection-compiler.js';

/** The one statement of an operation, and how its row becomes the operation's `data`. */
export interface CompiledOperation {
  readonly statement: Sql;
  /** Response keys of the root fields, in order, and whether each may be null (`person`) or not (`people`). */
  readonly roots: readonly { readonly key: string; readonly nullable: boolean }[];
  /** The personal fields this answer masks, for `extensions.masked` (added to the request's Access on every run). */
  readonly masked: readonly string[];
  finish(row: Row): Record<string, unknown>;
}

/** The root fields the compiler covers: a record by id and a page of a list, for each resource. */
const ROOTS = new Map<string, { model: ResourceModel; kind: 'record' | 'connection' }>(
  RESOURCE_MODELS.flatMap((model) => [
    [model.singular, { model, kind: 'record' as const }],
    [model.plural, { model, kind: 'connection' as const }],
  ]),
);

/**
 * JSON_ARRAYAGG is bounded by group_concat_max_len (1 MiB by default; a longer result is cut,
 * which the parse would catch); raised for this statement only, to the largest packet the
 * server could ever send. A value larger than max_allowed_packet comes back NULL instead, which
 * the finish of a page treats as "ask the loaders".
 */
const LONGEST_AGGREGATE = 1_073_741_824;

/**
 * An operation as one statement: `SELECT <root 1 JSON> AS r0, <root 2 JSON> AS r1 ...`, each
 * root field's whole answer built by the database (selection-compiler.ts). Throws NotCompiled
 * (or the error a loader would report) when the loaders must answer instead.
 */
export function compileOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  context: GraphQLContext,
): CompiledOperation {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query') throw notCompiled('not a query');
  const queryType = schema.getQueryType();
  if (!queryType) throw notCompiled('no query type');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw notCompiled('variables the executor reports on');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;

  const db = context.reader.database;
  const masking = new Masking(db.access);
  const compiler = new SelectionCompiler(schema, fragments, coerced.coerced, db, context.limits, masking);
  const parts: { key: string; sql: Sql | null; finish: Finish; nullable: boolean }[] = [];
  for (const [key, nodes] of collectFields(schema, fragments, coerced.coerced, queryType, operation.selectionSet)) {
    const name = nodes[0].name.value;
    if (name === '__typename') {
      parts.push({ key, sql: null, finish: () => queryType.name, nullable: false });
      continue;
    }
    const root = ROOTS.get(name);
    if (!root) throw notCompiled(`Query.${name}`);
    const compiled = root.kind === 'record' ? compiler.rootRecord(root.model, nodes, queryType) : compiler.rootConnection(root.model, nodes, queryType);
    parts.push({ key, sql: compiled.sql, finish: compiled.finish, nullable: root.kind === 'record' });
  }
  const selected = parts.filter((p) => p.sql !== null);
  if (selected.length === 0) throw notCompiled('nothing to read');
  const masked = masking.masked();

  const columns = selected.map((p, i) => sql`${p.sql!} AS ${raw(`r${i}`)}`);
  const statement = sql`SET STATEMENT group_concat_max_len = ${raw(String(LONGEST_AGGREGATE))} FOR SELECT ${join(columns, ', ')}`;
  return {
    statement,
    roots: parts.filter((p) => p.sql !== null).map((p) => ({ key: p.key, nullable: p.nullable })),
    masked,
    finish(row) {
      const data: Record<string, unknown> = {};
      let column = 0;
      for (const part of parts) {
        if (part.sql === null) {
          data[part.key] = part.finish!(undefined);
          continue;
        }
        const text = row[`r${column++}`];
        const value = typeof text === 'string' ? JSON.parse(text) : (text ?? null);
        data[part.key] = part.finish && value !== null ? part.finish(value) : value;
      }
      return data;
    },
  };
}

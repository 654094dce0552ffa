import { getOperationAST, getVariableValues, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields.js';
import type { Row } from '../data/run.js';
import { join, raw, sql, type Sql } from '../data/sql.js';
import type { GraphQLContext } from '../context.js';
import { RESOURCE_MODELS, type ResourceModel } from '../model/resource-models.js';
import { Masking } from './masking.js';
import { notCompiled } from './not-compiled.js';
import { ROW, SelectionCompiler, type Finish } from './selection-compiler.js';

/** The one statement of an operation, and how its row becomes the operation's `data`. */
export interface CompiledOperation {
  readonly statement: Sql;
  /** Response keys of the root fields, in order, and whether each may be null (`person`) or not (`people`). */
  readonly roots: readonly { readonly key: string; readonly nullable: boolean }[];
  /** The personal fields this answer masks, for `extensions.masked` (added to the request's Access on every run). */
  readonly masked: readonly string[];
  finish(rows: readonly Row[]): Record<string, unknown>;
}

/** The root fields the compiler covers: a record by id and a page of a list, for each resource. */
const ROOTS = new Map<string, { model: ResourceModel; kind: 'record' | 'connection' }>(
  RESOURCE_MODELS.flatMap((model) => [
    [model.singular, { model, kind: 'record' as const }],
    [model.plural, { model, kind: 'connection' as const }],
  ]),
);

/**
 * An operation as one statement, each root field's whole answer built by the database
 * (selection-compiler.ts): `SELECT <root 1 JSON> AS r0, <root 2 JSON> AS r1 ...`, or, for a
 * single root field, its records as the rows. Throws NotCompiled (or the error a loader would
 * report) when the loaders must answer instead. JSON_ARRAYAGG is bounded by group_concat_max_len,
 * which the read pool raises for its connections (read-pool.ts); a value larger than
 * max_allowed_packet comes back NULL, which the finish treats as "ask the loaders".
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
  // One error is enough to know: graphql-js makes a GraphQLError (and a stack trace) per bad value otherwise.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (coerced.errors) throw notCompiled('variables the executor reports on');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;

  const db = context.reader.database;
  const masking = new Masking(db.access);
  const compiler = new SelectionCompiler(schema, fragments, coerced.coerced, db, context.limits, masking);
  const fields = [...collectFields(schema, fragments, coerced.coerced, queryType, operation.selectionSet)];
  const roots = fields.map(([key, nodes]) => {
    const name = nodes[0].name.value;
    if (name === '__typename') return { key, nodes, root: null };
    const root = ROOTS.get(name);
    if (!root) throw notCompiled(`Query.${name}`);
    return { key, nodes, root };
  });
  const reads = roots.filter((r) => r.root !== null);
  if (reads.length === 0) throw notCompiled('nothing to read');

  // One root field: its records are the statement's rows, the cheapest shape (see rootConnection).
  if (reads.length === 1 && roots.length === 1) {
    const [{ key, nodes, root }] = reads;
    const compiled = root!.kind === 'record' ? compiler.rootRecord(root!.model, nodes, queryType, 'rows') : compiler.rootConnection(root!.model, nodes, queryType, 'rows');
    if (compiled) {
      const { finish } = compiled;
      const record = root!.kind === 'record';
      return {
        statement: compiled.sql,
        roots: [{ key, nullable: record }],
        masked: masking.masked(),
        finish(rows) {
          const values = rows.map((row) => parseJson(row[ROW]));
          const value = record ? (values[0] ?? null) : values;
          return { [key]: finish && value !== null ? finish(value) : value };
        },
      };
    }
  }

  const parts: { key: string; sql: Sql | null; finish: Finish; nullable: boolean }[] = roots.map(({ key, nodes, root }) => {
    if (!root) return { key, sql: null, finish: () => queryType.name, nullable: false };
    const compiled = root.kind === 'record' ? compiler.rootRecord(root.model, nodes, queryType) : compiler.rootConnection(root.model, nodes, queryType);
    return { key, sql: compiled!.sql, finish: compiled!.finish, nullable: root.kind === 'record' };
  });
  const masked = masking.masked();
  const selected = parts.filter((p) => p.sql !== null);
  const columns = selected.map((p, i) => sql`${p.sql!} AS ${raw(`r${i}`)}`);
  return {
    statement: sql`SELECT ${join(columns, ', ')}`,
    roots: selected.map((p) => ({ key: p.key, nullable: p.nullable })),
    masked,
    finish([row]) {
      const data: Record<string, unknown> = {};
      let column = 0;
      for (const part of parts) {
        if (part.sql === null) {
          data[part.key] = part.finish!(undefined);
          continue;
        }
        const value = parseJson(row[`r${column++}`]);
        data[part.key] = part.finish && value !== null ? part.finish(value) : value;
      }
      return data;
    },
  };
}

/** mysql2 hands MariaDB's JSON over as text (a MySQL JSON column would come parsed). */
const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));

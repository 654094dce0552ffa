import { getNamedType, isInputObjectType, Kind, typeFromAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * Which operations graphql-jit may compile. graphql-jit 0.8 compiles the coercion of each
 * declared variable by inlining its input type, and both ways that can go wrong have been seen
 * here:
 * - for a recursive input type (every `*Where`, which nests AND/OR/NOT and relation filters)
 *   the inlining never ends and the process runs out of heap (graphql-jit issue #81);
 * - for any input object type, the compiled coercion ignores input-field defaults, so
 *   `orderBy: [{ field: ID }]` sent as a variable is refused on its compiled run
 *   ("direction of required type SortDirection! was not provided") though graphql-js accepts it.
 * An operation that declares a variable of an input object type (or a list of them) is
 * therefore never compiled: graphql-js interprets it, every run.
 *
 * Literal arguments are not affected (graphql-jit coerces them from the document with
 * graphql-js's own functions), nor are variables of scalars and enums; the executor-parity tests
 * send a variable of every input type of the schema, twice, through both executors.
 */
export class JitSafety {
  constructor(private readonly schema: GraphQLSchema) {}

  /** Why the operation must not be compiled, or null when it may be. */
  refusal(document: DocumentNode, operationName: string | undefined): string | null {
    const operation = operationOf(document, operationName);
    for (const definition of operation?.variableDefinitions ?? []) {
      const type = typeFromAST(this.schema, definition.type);
      const named = type && getNamedType(type);
      if (named && isInputObjectType(named)) return `variable $${definition.variable.name.value} is of the input object type ${named.name}`;
    }
    return null;
  }
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((o) => o.name?.value === operationName);
}

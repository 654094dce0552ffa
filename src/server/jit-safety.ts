import { getNamedType, isInputObjectType, Kind, typeFromAST, visit, type ASTNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

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
 *
 * Nor is `_entities` ever compiled: when one representation fails (a type the caller may not
 * read), graphql-jit 0.8 drops its null from the list instead of keeping it in place, and a
 * gateway merges entities by position, so every entity after it would land on the wrong one.
 */
export class JitSafety {
  constructor(private readonly schema: GraphQLSchema) {}

  /** Why the operation must not be compiled, or null when it may be. */
  refusal(document: DocumentNode, operationName: string | undefined): string | null {
    const operation = operationOf(document, operationName);
    if (operation && selectsEntities(document, operation)) return 'selects _entities (graphql-jit drops the null of a failed representation)';
    for (const definition of operation?.variableDefinitions ?? []) {
      const type = typeFromAST(this.schema, definition.type);
      const named = type && getNamedType(type);
      if (named && isInputObjectType(named)) return `variable $${definition.variable.name.value} is of the input object type ${named.name}`;
    }
    return null;
  }
}

/** Whether the operation selects `_entities` (at its root, directly or through fragments). */
function selectsEntities(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  let found = false;
  const look = (node: ASTNode) =>
    visit(node, {
      Field(field) {
        if (field.name.value === '_entities') found = true;
      },
    });
  look(operation);
  // Fragments spread at the root: any fragment of the document may be one of them.
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) look(definition);
  return found;
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((o) => o.name?.value === operationName);
}

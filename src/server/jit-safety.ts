import {
  getNamedType,
  isInputObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Which operations graphql-jit may compile. graphql-jit 0.8 compiles the coercion of each
 * declared variable by inlining its input type; for a recursive input type (every `*Where`,
 * which nests AND/OR/NOT and relation filters) that inlining never ends and the process runs
 * out of heap (graphql-jit issue #81). An operation that declares a variable whose type reaches
 * an input cycle is therefore never compiled: graphql-js interprets it, every run.
 *
 * Literal arguments are not affected (graphql-jit coerces them once, from the document), nor
 * are variables of scalars, enums and acyclic input types; the executor-parity tests send a
 * variable of every input type of the schema, twice, through both executors.
 */
export class JitSafety {
  private readonly cyclic = new Map<string, boolean>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** Why the operation must not be compiled, or null when it may be. */
  refusal(document: DocumentNode, operationName: string | undefined): string | null {
    const operation = operationOf(document, operationName);
    for (const definition of operation?.variableDefinitions ?? []) {
      const type = typeFromAST(this.schema, definition.type);
      const named = type && getNamedType(type);
      if (named && isInputObjectType(named) && this.reachesCycle(named)) {
        return `variable $${definition.variable.name.value} is of the recursive input type ${named.name}`;
      }
    }
    return null;
  }

  /** Whether a walk from the input type meets a type still being walked: a cycle it can reach. */
  private reachesCycle(root: GraphQLInputObjectType): boolean {
    const known = this.cyclic.get(root.name);
    if (known !== undefined) return known;
    const walking = new Set<string>();
    const done = new Set<string>();
    const visit = (type: GraphQLInputObjectType): boolean => {
      if (walking.has(type.name)) return true;
      if (done.has(type.name)) return false;
      walking.add(type.name);
      const found = Object.values(type.getFields()).some((field) => {
        const inner = getNamedType(field.type);
        return isInputObjectType(inner) && visit(inner);
      });
      walking.delete(type.name);
      done.add(type.name);
      return found;
    };
    const found = visit(root);
    this.cyclic.set(root.name, found);
    return found;
  }
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((o) => o.name?.value === operationName);
}

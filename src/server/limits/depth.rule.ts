import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Rejects operations nested deeper than `maxDepth`. Depth counts the fields that open a
 * selection set (objects and lists of them); leaves, the Relay plumbing (`edges`, `node`,
 * `nodes`, `pageInfo` on *Connection and *Edge types) and introspection fields do not count,
 * so `companies { nodes { people { nodes { name } } } }` has depth 2. Fragments are followed once each (memoised, cycles ignored: another rule reports them).
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentDepth = new Map<string, number>();
    const visiting = new Set<string>();

    const isPlumbing = (type: GraphQLNamedType | undefined) => !!type && /(Connection|Edge)$/.test(type.name);

    function depthOf(set: SelectionSetNode, parent: GraphQLNamedType | undefined): number {
      let max = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
          const below = selection.selectionSet ? depthOf(selection.selectionSet, field ? getNamedType(field.type) : undefined) : 0;
          const counts = selection.selectionSet && !isPlumbing(parent) ? 1 : 0;
          max = Math.max(max, counts + below);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
          max = Math.max(max, depthOf(selection.selectionSet, type ?? undefined));
        } else {
          max = Math.max(max, spreadDepth(selection.name.value));
        }
      }
      return max;
    }

    function spreadDepth(name: string): number {
      const known = fragmentDepth.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      if (!fragment || visiting.has(name)) return 0;
      visiting.add(name);
      const depth = depthOf(fragment.selectionSet, context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined);
      visiting.delete(name);
      fragmentDepth.set(name, depth);
      return depth;
    }

    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation) ?? undefined;
        const depth = depthOf(operation.selectionSet, root);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The operation is nested ${depth} levels deep; the maximum is ${maxDepth} (GRAPHQL_MAX_DEPTH).`, {
              nodes: [operation],
            }),
          );
        }
      },
    };
  };
}

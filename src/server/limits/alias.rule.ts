import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Rejects operations with more than `maxAliases` aliased fields, counted as executed (a
 * fragment spread twice counts twice), which stops one request from asking for the same
 * expensive field hundreds of times under different names.
 */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentCount = new Map<string, number>();
    const visiting = new Set<string>();

    function countIn(set: SelectionSetNode): number {
      let count = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          count += (selection.alias ? 1 : 0) + (selection.selectionSet ? countIn(selection.selectionSet) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          count += countIn(selection.selectionSet);
        } else {
          count += spreadCount(selection.name.value);
        }
        // Stop early: the counts of nested fragments can grow exponentially.
        if (count > maxAliases) return count;
      }
      return count;
    }

    function spreadCount(name: string): number {
      const known = fragmentCount.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      if (!fragment || visiting.has(name)) return 0;
      visiting.add(name);
      const count = countIn(fragment.selectionSet);
      visiting.delete(name);
      fragmentCount.set(name, count);
      return count;
    }

    return {
      OperationDefinition(operation) {
        const count = countIn(operation.selectionSet);
        if (count > maxAliases) {
          context.reportError(
            new GraphQLError(`The operation uses more than ${maxAliases} aliases (GRAPHQL_MAX_ALIASES).`, { nodes: [operation] }),
          );
        }
      },
    };
  };
}

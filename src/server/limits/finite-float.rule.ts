import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Refuses float literals that do not fit a double (`1e309`): graphql-js's Float parses them to
 * Infinity without complaint, and no field of this API has a meaning for an infinite number.
 * Variables cannot carry one (JSON has no Infinity, and graphql-js refuses non-finite values).
 */
export function finiteFloatRule(): ValidationRule {
  return (context: ValidationContext) => ({
    FloatValue(node) {
      if (Number.isFinite(Number(node.value))) return;
      const shown = node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value;
      context.reportError(new GraphQLError(`Expected a finite number, got ${shown}: it is outside what a double can hold.`, { nodes: [node] }));
    },
  });
}
